/** Builders for config tests: a fake host and a validation call that returns the problems. */
import { validateFleetConfig, type FleetConfig } from "../../config/fleetConfig";
import type { HostLookup } from "../../config/hostPaths";
import { ConfigError, type ConfigProblem } from "../../config/problems";

export const TEST_HOME = "/home/tester";

export function fakeHost(opts: { env?: Record<string, string>; files?: Record<string, string> } = {}): HostLookup {
  return { env: opts.env ?? {}, homeDir: TEST_HOME, readFile: (p) => opts.files?.[p] };
}

export function validConfig(raw: Record<string, unknown> = {}, host: HostLookup = fakeHost()): FleetConfig {
  return validateFleetConfig(raw, "test", host);
}

/** The problems a raw config gives; fails the test when it is accepted. */
export function problemsOf(raw: Record<string, unknown>, host: HostLookup = fakeHost()): ConfigProblem[] {
  try {
    validateFleetConfig(raw, "test", host);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error(`config was accepted: ${JSON.stringify(raw)}`);
}

/**
 * Container inputs in the exact form the docker provider (@pulumi/docker 5.x, kreuzwerker's
 * Terraform provider underneath) reads back from Docker. An input in any other form differs from
 * the state after every refresh-on-update, so each `pulumi up` plans a change: for `cpus`, which is
 * replace-on-change, a replacement of every running agent. test/e2e/harness/README.md lists the
 * read-back rules field by field; the harness checks them against a real engine.
 */

const NANO = 1_000_000_000;

/**
 * `cpus` as the provider reads it from Docker's NanoCPUs: a decimal with at least one fractional
 * digit and no trailing zeros beyond it (2 → "2.0", 1.5 → "1.5", 0.25 → "0.25"). Docker keeps
 * nanocpus, so more than 9 decimals cannot survive and are refused.
 */
export function canonicalCpus(cpus: number): string {
  const nano = Math.round(cpus * NANO);
  if (!Number.isFinite(cpus) || nano <= 0 || Math.abs(nano - cpus * NANO) > 1e-3) {
    throw new Error(`cpus must be a positive number with at most 9 decimals; got ${cpus}`);
  }
  const whole = Math.floor(nano / NANO);
  const fraction = String(nano % NANO).padStart(9, "0").replace(/0+$/, "");
  return `${whole}.${fraction || "0"}`;
}

/**
 * A memory limit with no swap on top. Given only `memory`, Docker sets MemorySwap to twice it and
 * the provider reads that back; so `memorySwap` is always set, equal to `memory`.
 */
export function memoryWithoutSwap(memoryMb: number): { memory: number; memorySwap: number } {
  return { memory: memoryMb, memorySwap: memoryMb };
}

/** Docker stores added capabilities with their `CAP_` prefix ("CHOWN" comes back "CAP_CHOWN"); "ALL" stays. */
export function canonicalCapability(name: string): string {
  const upper = name.toUpperCase();
  return upper === "ALL" || upper.startsWith("CAP_") ? upper : `CAP_${upper}`;
}

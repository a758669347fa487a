/** `~` expansion and the workspace-root lookup chain; pure, with the environment injected. */
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import type { ConfigProblem } from "./problems";

export function expandHome(p: string, homeDir: string): string {
  if (p === "~") return homeDir;
  if (p.startsWith("~/")) return path.join(homeDir, p.slice(2));
  return p;
}

export interface HostLookup {
  env: Record<string, string | undefined>;
  homeDir: string;
  /** Returns a file's text, or undefined when it does not exist. */
  readFile(path: string): string | undefined;
}

export type WorkspaceRootResolution = { root: string; source: string } | { problem: ConfigProblem };

export const USER_CONFIG_FILE = "~/.llpm/config.yaml";

/**
 * Stack config `workspaceRoot`, then env `LLPM_WORKSPACE_ROOT`, then `workspace_root` in
 * `~/.llpm/config.yaml`, then `~/.llpm/workspaces`. The first one set wins; it must be
 * absolute once `~` is expanded, and the problem names whichever source gave it.
 */
export function resolveWorkspaceRoot(fromStack: string | undefined, host: HostLookup): WorkspaceRootResolution {
  const candidates: { value: string | undefined; source: string }[] = [
    { value: fromStack, source: "workspaceRoot" },
    { value: host.env.LLPM_WORKSPACE_ROOT, source: "LLPM_WORKSPACE_ROOT (environment)" },
    { value: userConfigWorkspaceRoot(host), source: `workspace_root in ${USER_CONFIG_FILE}` },
    { value: "~/.llpm/workspaces", source: "default" },
  ];
  const chosen = candidates.find((c) => c.value !== undefined && c.value !== "")!;
  const expanded = path.normalize(expandHome(chosen.value!, host.homeDir));
  if (!path.isAbsolute(expanded)) {
    return {
      problem: {
        key: chosen.source,
        value: chosen.value,
        allowed: "an absolute folder path, or one starting with ~/",
        outsideStack: chosen.source !== "workspaceRoot",
      },
    };
  }
  return { root: expanded.replace(/\/+$/, "") || "/", source: chosen.source };
}

function userConfigWorkspaceRoot(host: HostLookup): string | undefined {
  const text = host.readFile(expandHome(USER_CONFIG_FILE, host.homeDir));
  if (text === undefined) return undefined;
  const parsed = parseYaml(text) as { workspace_root?: unknown } | null;
  return typeof parsed?.workspace_root === "string" ? parsed.workspace_root : undefined;
}

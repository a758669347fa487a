/**
 * A host environment for program runs that touches nothing real: a workspace root under a temp
 * folder (the program only names it under mocks), a fake HOME, and a stand-in file for the Docker
 * socket so the broker's socket group comes from a file this test controls.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface ProgramHost {
  dir: string;
  env: Record<string, string>;
  workspaceRoot: string;
  home: string;
  socketPath: string;
  socketGid: number;
  remove(): void;
}

export function makeProgramHost(): ProgramHost {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "llpm-program-"));
  const home = path.join(dir, "home");
  const socketPath = path.join(dir, "docker.sock");
  fs.mkdirSync(home);
  fs.writeFileSync(socketPath, "");
  const workspaceRoot = path.join(dir, "workspaces");
  return {
    dir,
    env: { LLPM_WORKSPACE_ROOT: workspaceRoot, HOME: home, DOCKER_HOST: `unix://${socketPath}` },
    workspaceRoot,
    home,
    socketPath,
    socketGid: fs.statSync(socketPath).gid,
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

// The base image's workspace snapshots and diffs (llpm-git-snapshot, llpm-job-diff, and
// llpm-run-job calling them), run as the non-root agent user with every capability dropped, on a
// workspace folder owned by another uid as a host mount can be.
import { expect } from "chai";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildBase, imageTag } from "./support/image-builds";
import { docker } from "./support/docker-cli";

const HARDENED = ["--cap-drop", "ALL", "--security-opt", "no-new-privileges", "--network", "none"];
const GIT = "git -c safe.directory=*";

describe("workspace snapshots in the base image", function () {
  this.timeout(15 * 60_000);
  let workspace: string;

  before(async () => {
    await buildBase();
  });

  beforeEach(() => {
    workspace = mkdtempSync(path.join(os.tmpdir(), "llpmt-img-ws-"));
    // Owned by whoever runs the tests, writable by the agent: git's ownership check applies.
    chmodSync(workspace, 0o777);
  });

  afterEach(async () => {
    // Files the agent wrote belong to its uid: remove them from inside, then the folder.
    await docker(["run", "--rm", "--network", "none", "--user", "0", "-v", `${workspace}:/workspace`, imageTag("base"), "sh", "-c", "rm -rf /workspace/* /workspace/.[!.]*"]);
    rmSync(workspace, { recursive: true, force: true });
  });

  const inAgent = async (script: string) => {
    const result = await docker(["run", "--rm", ...HARDENED, "-v", `${workspace}:/workspace`, imageTag("base"), "bash", "-c", `set -e\n${script}`]);
    expect(result.code, result.stderr).to.equal(0);
    return result;
  };

  it("records before and after on private refs and diffs them, leaving the user's index alone", async () => {
    const before = await inAgent(["id -u", "printf 'one\\n' > a.txt", "printf 'bye\\n' > b.txt", "llpm-git-snapshot j1 before"].join("\n"));
    expect(before.stdout.split("\n")[0]).to.not.equal("0");
    expect(before.stderr).to.contain("/workspace was not a git repository; initialised one");
    const snap = JSON.parse(before.stdout.trim().split("\n").at(-1)!);
    expect(snap).to.include({ ref: "refs/llpm/jobs/j1/before", workdir: "/workspace" });
    expect(snap.commit).to.match(/^[0-9a-f]{40}$/);

    await inAgent(["printf 'two\\n' >> a.txt", "rm b.txt", "printf 'x\\0\\1y' > c.bin", "llpm-git-snapshot j1 after"].join("\n"));
    const diff = JSON.parse((await inAgent("llpm-job-diff j1")).stdout);
    expect(diff.files).to.deep.equal([
      { path: "a.txt", status: "modified", additions: 1, deletions: 0, binary: false },
      { path: "b.txt", status: "deleted", additions: 0, deletions: 1, binary: false },
      { path: "c.bin", status: "added", additions: null, deletions: null, binary: true },
    ]);
    expect(diff.patch).to.contain("+two").and.contain("Binary files /dev/null and b/c.bin differ");
    const user = await inAgent(`${GIT} ls-files --cached | wc -l; ${GIT} rev-parse -q --verify HEAD || echo no-commits`);
    expect(user.stdout).to.equal("0\nno-commits\n");
    const none = await docker(["run", "--rm", ...HARDENED, "-v", `${workspace}:/workspace`, imageTag("base"), "llpm-job-diff", "unknown-job"]);
    expect(none.code).to.equal(3);
    expect(none.stderr).to.contain("no before-snapshot");
  });

  it("llpm-run-job --branch runs the CLI in the branch's worktree and commits its work there", async () => {
    const descriptor = JSON.stringify({ cli: "bash", args: ["-c", "cat >/dev/null; pwd; echo made by the cli > made.txt"], prompt: "stdin" });
    const result = await inAgent(
      [
        `${GIT} init -q -b main && echo v1 > app.txt && ${GIT} add -A && ${GIT} -c user.name=u -c user.email=u@example.com commit -qm init`,
        "echo wip >> app.txt",
        `${GIT} rev-parse HEAD > /tmp/head-before; ${GIT} status --porcelain > /tmp/status-before`,
        `printf '%s' '${descriptor}' > /tmp/agent.json`,
        "echo 'a prompt' | LLPM_AGENT_DESCRIPTOR=/tmp/agent.json llpm-run-job --job-id j2 --branch llpm/try",
        `${GIT} rev-parse HEAD | cmp - /tmp/head-before && ${GIT} status --porcelain | cmp - /tmp/status-before && echo user-untouched`,
        `${GIT} show llpm/try:made.txt`,
        "llpm-job-diff j2",
      ].join("\n"),
    );
    const lines = result.stdout.trim().split("\n");
    expect(lines[0]).to.equal("/workspace/.llpm/worktrees/llpm/try");
    expect(lines[1]).to.equal("user-untouched");
    expect(lines[2]).to.equal("made by the cli");
    const diff = JSON.parse(lines[3]);
    expect(diff.files).to.deep.equal([{ path: "made.txt", status: "added", additions: 1, deletions: 0, binary: false }]);
  });
});

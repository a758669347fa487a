import { expect } from "chai";
import { readFileSync } from "node:fs";
import path from "node:path";
import { PassThrough } from "node:stream";
import { BRANCH_RULES } from "../../broker/src/diff/branchName";
import { startBroker, tempDbPath, type RunningBroker } from "./support/brokerHarness";
import { submit, waitForState, type JobBody } from "./support/jobs";
import { TestFleet } from "./support/testFleet";
import { waitFor } from "../support/waitFor";

interface DiffBody {
  jobId: string;
  before: string;
  after: string;
  files: { path: string; status: string; additions: number | null; deletions: number | null; binary: boolean }[];
  patch: string;
  truncated: boolean;
}

// The fake agent image runs the real llpm-git-snapshot and llpm-job-diff (images/base/bin) around
// a scripted CLI that edits the workspace as a real agent would.
describe("job diffs and branch jobs against a real Docker engine", function () {
  this.timeout(60000);
  const fleet = new TestFleet();
  const db = tempDbPath();
  let b: RunningBroker;

  /** Runs a command in an agent as its user (the agent's uid), returning stdout; fails on non-zero. */
  const sh = async (agentId: string, script: string): Promise<string> => {
    const exec = await fleet.docker.getContainer(fleet.containerName(agentId)).exec({
      Cmd: ["bash", "-c", script],
      AttachStdout: true,
      AttachStderr: true,
      WorkingDir: "/workspace",
    });
    const stream = await exec.start({});
    let out = "";
    let err = "";
    const stdout = new PassThrough().on("data", (c: Buffer) => (out += c.toString()));
    const stderr = new PassThrough().on("data", (c: Buffer) => (err += c.toString()));
    fleet.docker.modem.demuxStream(stream, stdout, stderr);
    await new Promise((r) => stream.on("end", r));
    const { ExitCode } = await exec.inspect();
    if (ExitCode !== 0) throw new Error(`${script} exited ${ExitCode}: ${err}`);
    return out;
  };
  const run = async (agentId: string, prompt: string, extra: Record<string, unknown> = {}): Promise<JobBody> => {
    const res = await b.api.post(`/agents/${agentId}/jobs`).send({ prompt, ...extra }).expect(202);
    const job = await waitForState(b.api, res.body.id, "final", 30000);
    expect(job.state, job.log).to.equal("completed");
    return job;
  };
  const diffOf = async (jobId: string, query = ""): Promise<DiffBody> => (await b.api.get(`/jobs/${jobId}/diff${query}`).expect(200)).body;

  before(async function () {
    this.timeout(600000);
    await fleet.prepare();
    await Promise.all([fleet.startAgent("aider", 1), fleet.startAgent("claude-code", 1)]);
    b = await startBroker(fleet.stack, db.path);
    for (const id of ["aider-1", "claude-code-1"]) {
      await waitFor(`${id} to be ready`, async () => (await b.api.get(`/agents/${id}`)).body.state === "ready", 30000);
    }
  });

  after(async () => {
    await b?.stop();
    await fleet.cleanup();
    db.remove();
  });

  it("turns a plain workspace into a git repository and diffs files added, changed, deleted and binary", async () => {
    const first = await run("aider-1", ["#write keep.txt one", "#write gone.txt bye", "#write notes/plan.md step 1", "#write .gitignore *.log", "#write debug.log noise"].join("\n"));
    expect(readFileSync(path.join(fleet.workspace("aider-1"), ".git", "HEAD"), "utf8")).to.match(/^ref: /);
    expect(first.log).to.contain("was not a git repository; initialised one");
    const d1 = await diffOf(first.id);
    expect(d1.files.map((f) => [f.path, f.status])).to.deep.equal([
      [".gitignore", "added"],
      ["gone.txt", "added"],
      ["keep.txt", "added"],
      ["notes/plan.md", "added"],
    ]);

    const second = await run("aider-1", ["#append keep.txt two", "#delete gone.txt", "#write new.txt fresh", "#binary image.png", "#write debug.log more noise"].join("\n"));
    const d2 = await diffOf(second.id);
    expect(d2.jobId).to.equal(second.id);
    expect(d2.before).to.match(/^[0-9a-f]{40}$/);
    expect(d2.before).to.not.equal(d2.after);
    expect(d2.files).to.deep.equal([
      { path: "gone.txt", status: "deleted", additions: 0, deletions: 1, binary: false },
      { path: "image.png", status: "added", additions: null, deletions: null, binary: true },
      { path: "keep.txt", status: "modified", additions: 1, deletions: 0, binary: false },
      { path: "new.txt", status: "added", additions: 1, deletions: 0, binary: false },
    ]);
    expect(d2.truncated).to.equal(false);
    expect(d2.patch).to.contain("diff --git a/keep.txt b/keep.txt").and.contain("\n+two\n").and.contain("\n-bye\n");
    expect(d2.patch).to.contain("Binary files /dev/null and b/image.png differ");
    expect(d2.patch).to.not.contain("binary\u0000").and.not.contain("PNG");
    expect(d2.patch, "ignored files stay out").to.not.contain("debug.log");
    // The user's own index and branch never moved: nothing was committed or staged for them.
    expect(await sh("aider-1", "git rev-parse -q --verify HEAD || echo none")).to.equal("none\n");
    expect(await sh("aider-1", "git ls-files --cached")).to.equal("");
    // The snapshots are plain commits on private refs.
    expect(await sh("aider-1", `git for-each-ref --format='%(refname)' refs/llpm/jobs/${second.id}`)).to.equal(
      `refs/llpm/jobs/${second.id}/after\nrefs/llpm/jobs/${second.id}/before\n`,
    );
  });

  it("caps the patch with a marker line and still lists every file", async () => {
    const job = await run("aider-1", ["#lines big.txt 3000", "#write small.txt tiny"].join("\n"));
    const full = await diffOf(job.id);
    expect(full.truncated).to.equal(false);
    expect(full.patch.length).to.be.greaterThan(3000 * 20);
    const capped = await diffOf(job.id, "?maxBytes=4096");
    expect(capped.truncated).to.equal(true);
    expect(capped.files.map((f) => f.path)).to.deep.equal(["big.txt", "small.txt"]);
    expect(capped.files[0].additions).to.equal(3000);
    const lines = capped.patch.trimEnd().split("\n");
    expect(lines.at(-1)).to.equal(`[llpm: diff truncated at 4096 bytes; 2 files changed in total, listed in "files"]`);
    expect(Buffer.byteLength(capped.patch)).to.be.at.most(4096 + 200);
    expect(full.patch.startsWith(capped.patch.slice(0, capped.patch.lastIndexOf("\n[llpm:")))).to.equal(true);
    const bad = await b.api.get(`/jobs/${job.id}/diff?maxBytes=12`).expect(400);
    expect(bad.body.error.message).to.contain("query.maxBytes");
  });

  it("answers 409 no_snapshot while a job runs and 404 for an unknown job", async () => {
    const job = await submit(b.api, "aider-1", "#sleep 3\n#write later.txt x");
    await waitForState(b.api, job.id, "running");
    const running = await b.api.get(`/jobs/${job.id}/diff`).expect(409);
    expect(running.body.error.code).to.equal("no_snapshot");
    await waitForState(b.api, job.id, "final");
    expect((await diffOf(job.id)).files.map((f) => f.path)).to.deep.equal(["later.txt"]);
    const unknown = await b.api.get("/jobs/00000000-0000-4000-8000-000000000000/diff").expect(404);
    expect(unknown.body.error.code).to.equal("job_not_found");
  });

  it("runs a branch job in its own worktree and leaves the user's branch, index and working tree untouched", async () => {
    await sh(
      "claude-code-1",
      "git init -q -b main && printf 'v1\\n' > app.txt && printf 'doc\\n' > readme.md && git add -A && " +
        "git -c user.name=u -c user.email=u@example.com commit -qm init && printf 'staged\\n' > staged.txt && git add staged.txt && printf 'wip\\n' >> app.txt",
    );
    const state = () => sh("claude-code-1", "git rev-parse HEAD && git symbolic-ref HEAD && git status --porcelain=v1 && git ls-files --stage && cat app.txt staged.txt readme.md");
    const userBefore = await state();

    const job = await run("claude-code-1", ["#append app.txt from the agent", "#write feature.txt new", "#delete readme.md"].join("\n"), { branch: "llpm/try-1" });
    expect(job).to.include({ branch: "llpm/try-1" });
    expect(await state()).to.equal(userBefore);

    const diff = await diffOf(job.id);
    expect(diff.files.map((f) => [f.path, f.status])).to.deep.equal([
      ["app.txt", "modified"],
      ["feature.txt", "added"],
      ["readme.md", "deleted"],
    ]);
    // Started from the committed HEAD, not from the user's uncommitted work.
    expect(diff.patch).to.contain(" v1\n+from the agent\n").and.not.contain("wip");
    // The job's work is a commit on its branch, for the user to review or merge.
    expect(await sh("claude-code-1", "git show llpm/try-1:feature.txt")).to.equal("new\n");
    expect(await sh("claude-code-1", "git rev-parse llpm/try-1")).to.equal(`${diff.after}\n`);

    // A second branch job on the same workspace does not see the first one's changes.
    const other = await run("claude-code-1", "#write other.txt b", { branch: "llpm/try-2" });
    expect((await diffOf(other.id)).files.map((f) => f.path)).to.deep.equal(["other.txt"]);
    expect(await sh("claude-code-1", "ls .llpm/worktrees/llpm/try-2")).to.equal("app.txt\nother.txt\nreadme.md\n");
    expect(await state()).to.equal(userBefore);
  });

  it("still snapshots a job without a branch on a workspace that has branch worktrees, and leaves them out", async () => {
    expect(await sh("claude-code-1", "ls .llpm/worktrees/llpm")).to.equal("try-1\ntry-2\n");
    const job = await run("claude-code-1", "#write plain.txt after the branch jobs");
    const diff = await diffOf(job.id);
    expect(diff.files.map((f) => [f.path, f.status])).to.deep.equal([["plain.txt", "added"]]);
    expect(await sh("claude-code-1", `git ls-tree -r --name-only ${diff.after}`)).to.not.contain(".llpm");
  });

  it("refuses a branch name git would refuse, saying what is allowed", async () => {
    for (const branch of ["bad..name", "-x", "a b", "x.lock", "feature/", "@", "a~1", ""]) {
      const res = await b.api.post("/agents/aider-1/jobs").send({ prompt: "x", branch }).expect(400);
      expect(res.body.error.message, branch).to.equal(`body.branch: branch must be ${BRANCH_RULES}`);
    }
    const typed = await b.api.post("/jobs").send({ agentType: "aider", prompt: "x", branch: "no:colon" }).expect(400);
    expect(typed.body.error.message).to.contain("git branch name");
  });

  it("documents the diff route and the branch field in /openapi.json", async () => {
    const doc = (await b.api.get("/openapi.json").expect(200)).body;
    const diff = doc.paths["/jobs/{id}/diff"].get;
    expect(Object.keys(diff.responses)).to.include.members(["200", "404", "409"]);
    expect(diff.responses["200"].content["application/json"].schema.required).to.include.members(["files", "patch", "truncated"]);
    expect(doc.paths["/agents/{id}/jobs"].post.requestBody.content["application/json"].schema.properties).to.have.property("branch");
    expect(doc.paths["/jobs"].post.requestBody.content["application/json"].schema.properties).to.have.property("branch");
  });
});

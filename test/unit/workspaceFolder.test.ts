import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { workspaceFolderProvider } from "../../backends/docker/workspaceFolder";

describe("workspace folder provider (run directly on a temp dir)", () => {
  let root: string;
  const me = { uid: process.getuid!(), gid: process.getgid!() };

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "llpm-ws-"));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it("creates the folder and missing parents, owned by the agent user, mode 0700", async () => {
    const folder = path.join(root, "nested", "aider-1");
    const result = await workspaceFolderProvider.create({ path: folder, ...me });
    const stat = fs.statSync(folder);
    expect(result.id).to.equal(folder);
    expect(stat.isDirectory()).to.equal(true);
    expect(stat.mode & 0o777).to.equal(0o700);
    expect({ uid: stat.uid, gid: stat.gid }).to.deep.equal(me);
  });

  it("adopts an existing folder and keeps its files, tightening its mode", async () => {
    const folder = path.join(root, "aider-1");
    fs.mkdirSync(folder, { mode: 0o755 });
    fs.writeFileSync(path.join(folder, "work.txt"), "keep me");
    await workspaceFolderProvider.create({ path: folder, ...me });
    expect(fs.statSync(folder).mode & 0o777).to.equal(0o700);
    expect(fs.readFileSync(path.join(folder, "work.txt"), "utf8")).to.equal("keep me");
  });

  it("leaves the folder and the user's files in place on delete", async () => {
    const folder = path.join(root, "aider-2");
    await workspaceFolderProvider.create({ path: folder, ...me });
    fs.writeFileSync(path.join(folder, "work.txt"), "uncommitted work");
    await workspaceFolderProvider.delete!(folder, { path: folder, ...me });
    expect(fs.readFileSync(path.join(folder, "work.txt"), "utf8")).to.equal("uncommitted work");
  });

  it("replaces on a new path, updates in place on a new owner, and is quiet otherwise", async () => {
    const a = { path: "/w/a", uid: 1, gid: 1 };
    expect(await workspaceFolderProvider.diff!("/w/a", a, { ...a })).to.include({ changes: false });
    expect(await workspaceFolderProvider.diff!("/w/a", a, { ...a, path: "/w/b" })).to.deep.include({
      changes: true,
      replaces: ["path"],
    });
    expect(await workspaceFolderProvider.diff!("/w/a", a, { ...a, uid: 2 })).to.deep.include({ changes: true, replaces: [] });
  });
});

describe("workspace folder provider, deploying as root", () => {
  it("hands the folder to the agent uid/gid (1000:1000 when root deploys)", async function () {
    if (process.getuid!() !== 0) this.skip(); // only root may give a folder away; CI runs as root
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "llpm-ws-root-"));
    try {
      const folder = path.join(root, "claude-code-1");
      await workspaceFolderProvider.create({ path: folder, uid: 1000, gid: 1000 });
      const stat = fs.statSync(folder);
      expect({ uid: stat.uid, gid: stat.gid, mode: stat.mode & 0o777 }).to.deep.equal({ uid: 1000, gid: 1000, mode: 0o700 });
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

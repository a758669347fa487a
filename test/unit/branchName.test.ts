import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { isBranchName } from "../../broker/src/diff/branchName";

// git itself is the reference: the broker must refuse exactly what `git check-ref-format --branch`
// refuses (and a few names git accepts but that would be confusing: "HEAD", over 200 characters).
const NAMES = [
  "main", "llpm/fix-login", "feature/a.b", "v1.2", "a-b_c", "ü-umlaut", "x@y", "a.lock.b",
  "bad..name", "-x", "a b", "x.lock", "feature/", "/lead", "a//b", "a~1", "a^", "a:b", "a?", "a*", "a[b",
  "a\\b", "a@{1}", "trailing.", ".hidden", "dir/.hidden", "tab\tname", "ctl\u0001", "del\u007f",
];

describe("branch names", () => {
  it("follows git check-ref-format --branch", () => {
    for (const name of NAMES) {
      const git = spawnSync("git", ["check-ref-format", "--branch", name], { encoding: "utf8" }).status === 0;
      expect(isBranchName(name), JSON.stringify(name)).to.equal(git);
    }
  });

  it("refuses what git would accept but a job branch must not be", () => {
    expect(isBranchName("HEAD")).to.equal(false);
    // git reads "@" as HEAD and answers with the current branch.
    expect(isBranchName("@")).to.equal(false);
    expect(isBranchName("")).to.equal(false);
    expect(isBranchName("a".repeat(201))).to.equal(false);
    expect(isBranchName("a".repeat(200))).to.equal(true);
  });
});

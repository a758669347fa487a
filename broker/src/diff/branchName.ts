import { z } from "zod";

/** What `git check-ref-format --branch` allows, in one sentence for the 400 it causes. */
export const BRANCH_RULES =
  "a git branch name: 1-200 characters, no spaces, control characters or any of ~ ^ : ? * [ \\, " +
  "no '..', '@{' or '//', no part starting with '.' or ending with '.lock', " +
  "not starting with '-' or '/', not ending with '/' or '.', not '@' or 'HEAD' (e.g. llpm/fix-login)";

/** git's ref-name rules (git-check-ref-format(1)) for a name under refs/heads/. */
export function isBranchName(name: string): boolean {
  if (name.length < 1 || name.length > 200) return false;
  if (name === "@" || name === "HEAD" || name.startsWith("-")) return false;
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name)) return false;
  if (name.includes("..") || name.includes("@{")) return false;
  if (name.startsWith("/") || name.endsWith("/") || name.endsWith(".") || name.includes("//")) return false;
  return name.split("/").every((part) => !part.startsWith(".") && !part.endsWith(".lock"));
}

export const BranchName = z
  .string({ error: `branch must be ${BRANCH_RULES}` })
  .max(200, `branch must be ${BRANCH_RULES}`)
  .refine(isBranchName, `branch must be ${BRANCH_RULES}`)
  .describe(
    "Run the job on this git branch, in its own worktree of the workspace (created from the workspace's HEAD; " +
      "the job's changes are committed to it); the user's branch, index and working tree stay untouched",
  );

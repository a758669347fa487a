import { z } from "zod";

/** What `git check-ref-format --branch` allows, in one sentence for the 400 it causes. */
export const BRANCH_RULES =
  "a git branch name: 1-200 characters, no spaces, control characters or any of ~ ^ : ? * [ \\, " +
  "no '..', '@{' or '//', no part starting with '.' or ending with '.lock', " +
  "not starting with '-' or '/', not ending with '/' or '.', not '@' or 'HEAD' (e.g. llpm/fix-login)";

/**
 * git's ref-name rules (git-check-ref-format(1)) for a name under refs/heads/, as one pattern so
 * the OpenAPI document states exactly what the API accepts.
 */
export const BRANCH_PATTERN =
  // eslint-disable-next-line no-control-regex
  /^(?!@$)(?!HEAD$)(?![-/.])(?!.*\/\/)(?!.*\.\.)(?!.*@\{)(?!.*\/\.)(?!.*\.lock(?:\/|$))(?!.*[/.]$)[^\x00-\x20\x7f~^:?*[\\]{1,200}$/;

export function isBranchName(name: string): boolean {
  return BRANCH_PATTERN.test(name);
}

export const BranchName = z
  .string({ error: `branch must be ${BRANCH_RULES}` })
  .max(200, `branch must be ${BRANCH_RULES}`)
  .regex(BRANCH_PATTERN, `branch must be ${BRANCH_RULES}`)
  .describe(
    "Run the job on this git branch, in its own worktree of the workspace (created from the workspace's HEAD; " +
      "the job's changes are committed to it); the user's branch, index and working tree stay untouched",
  );

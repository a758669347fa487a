/** A job's diff: the changed files with their line counts, then the unified patch. */
import type { DiffFile, JobDiff } from "../contract";
import type { Paint } from "./colour";

const STATUS_MARK: Record<DiffFile["status"], string> = { added: "A", modified: "M", deleted: "D", renamed: "R" };

function fileLine(f: DiffFile, paint: Paint): string {
  const counts = f.binary ? "binary" : `${paint.green(`+${f.additions ?? 0}`)} ${paint.red(`-${f.deletions ?? 0}`)}`;
  return `${STATUS_MARK[f.status]} ${f.path}  ${counts}`;
}

function patchLine(line: string, paint: Paint): string {
  if (line.startsWith("+++") || line.startsWith("---")) return paint.bold(line);
  if (line.startsWith("+")) return paint.green(line);
  if (line.startsWith("-")) return paint.red(line);
  if (line.startsWith("@@")) return paint.cyan(line);
  return line;
}

export function renderDiff(diff: JobDiff, paint: Paint): string {
  if (diff.files.length === 0) return `job ${diff.jobId} changed no files\n`;
  const n = diff.files.length;
  const header = `${n} file${n === 1 ? "" : "s"} changed (${diff.before.slice(0, 12)}..${diff.after.slice(0, 12)})`;
  const files = diff.files.map((f) => fileLine(f, paint));
  const patch = diff.patch.replace(/\n$/, "").split("\n").map((l) => patchLine(l, paint));
  const note = diff.truncated ? [paint.red("(patch truncated by the broker; the full diff is in the workspace's git history)")] : [];
  return [header, ...files, "", ...patch, ...note].join("\n") + "\n";
}

import fs from "node:fs";
import path from "node:path";

/** Every file below `dir`, as paths relative to it (a build context's `src`, a CA folder). */
export function filesUnder(dir: string, prefix = ""): string[] {
  return fs.readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(prefix, entry.name);
    return entry.isDirectory() ? filesUnder(dir, relative) : [relative];
  });
}

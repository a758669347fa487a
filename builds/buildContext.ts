/**
 * What `docker build` sends of a context folder: every file its `.dockerignore` keeps. The content
 * tag hashes exactly these files, so a change outside them (a README, another package's code)
 * never gives an image a new tag, and a change inside always does.
 */
import dockerIgnore from "@balena/dockerignore";
import * as fs from "node:fs";
import * as path from "node:path";

/** True for a path (relative to the context, `/`-separated) the context's `.dockerignore` leaves out. */
export function contextIgnores(contextDir: string): (relativePath: string) => boolean {
  const file = path.join(contextDir, ".dockerignore");
  const rules = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  const keeps = dockerIgnore({ ignorecase: false }).add(rules).createFilter();
  return (relativePath) => relativePath !== "" && !keeps(relativePath);
}

/** The context's files Docker would send, relative and sorted. */
export function contextFiles(contextDir: string): string[] {
  const ignores = contextIgnores(contextDir);
  const walk = (relativeDir: string): string[] =>
    fs
      .readdirSync(path.join(contextDir, relativeDir), { withFileTypes: true })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .flatMap((entry) => {
        const relative = relativeDir ? `${relativeDir}/${entry.name}` : entry.name;
        // An ignored folder is not walked: what .dockerignore re-includes below one must be named
        // with `!` from the top (as the root's `!broker` does), where `ignores` says it is kept.
        if (ignores(relative)) return [];
        if (entry.isDirectory()) return walk(relative);
        return entry.isFile() ? [relative] : [];
      });
  return walk("");
}

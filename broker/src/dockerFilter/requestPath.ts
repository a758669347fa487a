/**
 * A Docker API request target, parsed strictly. The filter decides on what it parsed and forwards
 * only a target it rebuilt from those parts, so the engine can never read a different path or
 * query than the one that was checked (no percent-encoding, no dot segments, no doubled slashes).
 */
export interface RequestPath {
  /** `/v1.41` or "" (the engine's own version prefix, kept as the client sent it). */
  version: string;
  segments: string[];
  query: Map<string, string>;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const VERSION = /^\/v[0-9]{1,2}\.[0-9]{1,3}(?=\/)/;
/** Container names, ids, exec ids and API words: never `.`/`..`, `%`, or an empty segment. */
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}$/;

export function parseRequestPath(target: string): Parsed<RequestPath> {
  const q = target.indexOf("?");
  const rawPath = q === -1 ? target : target.slice(0, q);
  const rawQuery = q === -1 ? "" : target.slice(q + 1);
  const version = VERSION.exec(rawPath)?.[0] ?? "";
  const rest = rawPath.slice(version.length);
  if (!rest.startsWith("/")) return { ok: false, reason: "the path must start with /" };
  const segments = rest.slice(1).split("/");
  const bad = segments.find((s) => !SEGMENT.test(s));
  if (bad !== undefined) {
    return {
      ok: false,
      reason: `path segment ${JSON.stringify(bad)} is not allowed (only letters, digits, _ . -; no percent-encoding, dot segments or empty segments)`,
    };
  }
  const query = new Map<string, string>();
  for (const [key, value] of new URLSearchParams(rawQuery)) {
    if (query.has(key)) return { ok: false, reason: `query parameter ${JSON.stringify(key)} is given twice` };
    query.set(key, value);
  }
  return { ok: true, value: { version, segments, query } };
}

/** The target the engine receives: the checked segments and only the given query parameters. */
export function buildTarget(version: string, segments: string[], query: Record<string, string> = {}): string {
  const search = new URLSearchParams(query).toString();
  return `${version}/${segments.join("/")}${search ? `?${search}` : ""}`;
}

// The docker provider takes healthcheck times as Go durations ("30s", "1m30s", "500ms");
// Docker's API wants nanoseconds.
const UNIT_NANOSECONDS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  "µs": 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

export function goDurationToNanoseconds(duration: string): number {
  if (duration === "0") return 0;
  const part = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let at = 0;
  while (at < duration.length) {
    part.lastIndex = at;
    const match = part.exec(duration);
    if (!match) throw new Error(`"${duration}" is not a Go duration (e.g. "30s", "1m30s", "500ms")`);
    total += Number(match[1]) * UNIT_NANOSECONDS[match[2]];
    at = part.lastIndex;
  }
  if (at === 0) throw new Error(`"${duration}" is not a Go duration (e.g. "30s", "1m30s", "500ms")`);
  return Math.round(total);
}

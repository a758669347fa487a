/** One sample of Prometheus' text exposition format: `name{label="value",...} 1.5`. */
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\S+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?\s*/gy;

function unescape(value: string): string {
  return value.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
}

/**
 * Parses the samples of a scrape (comments and malformed lines skipped: a scrape is read for a
 * few known series, and one odd line must not hide them). Values as Prometheus writes them,
 * `NaN` and `±Inf` included.
 */
export function parsePrometheusText(text: string): PromSample[] {
  const samples: PromSample[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const m = SAMPLE.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    if (m[2]) {
      LABEL.lastIndex = 0;
      let consumed = 0;
      for (let l = LABEL.exec(m[2]); l; l = LABEL.exec(m[2])) {
        labels[l[1]] = unescape(l[2]);
        consumed = LABEL.lastIndex;
      }
      if (consumed !== m[2].length) continue;
    }
    const value = Number(m[3].replace(/^\+?Inf$/, "Infinity").replace(/^-Inf$/, "-Infinity"));
    if (Number.isNaN(value) && m[3] !== "NaN") continue;
    samples.push({ name: m[1], labels, value });
  }
  return samples;
}

import http from "node:http";

export interface SseEvent {
  id: number | null;
  event: string;
  data: unknown;
}

/**
 * Reads a server-sent-events response until the server ends it, `stopWhen` says so or the timeout
 * passes (which fails: a stream that should end but hangs is a bug).
 */
export function readSse(
  url: string,
  headers: Record<string, string>,
  opts: { timeoutMs?: number; stopWhen?: (events: SseEvent[]) => boolean } = {},
): Promise<{ status: number; events: SseEvent[] }> {
  return new Promise((resolve, reject) => {
    const events: SseEvent[] = [];
    const req = http.get(url, { headers }, (res) => {
      let buffer = "";
      const timer = setTimeout(() => {
        req.destroy();
        reject(new Error(`SSE ${url} still open after ${opts.timeoutMs ?? 10000} ms; got ${JSON.stringify(events)}`));
      }, opts.timeoutMs ?? 10000);
      const finish = () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, events });
      };
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        buffer += chunk;
        let split: number;
        while ((split = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, split);
          buffer = buffer.slice(split + 2);
          const fields = Object.fromEntries(
            block
              .split("\n")
              .filter((l) => !l.startsWith(":") && l.includes(":"))
              .map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1).trimStart()]),
          );
          if (!fields.event) continue;
          events.push({ id: fields.id ? Number(fields.id) : null, event: fields.event, data: JSON.parse(fields.data) });
        }
        if (opts.stopWhen?.(events)) {
          req.destroy();
          finish();
        }
      });
      res.on("end", finish);
    });
    req.on("error", (err) => {
      if (!req.destroyed) reject(err);
    });
  });
}

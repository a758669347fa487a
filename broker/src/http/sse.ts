import type { Request, Response } from "express";
import type { z } from "zod";

const KEEPALIVE_MS = 15_000;

export interface SseChannel {
  send(event: string, data: unknown, id?: number): void;
  close(): void;
  onClose(fn: () => void): void;
}

/** Opens a server-sent-events response; comments keep idle proxies from closing it. */
export function openSse(req: Request, res: Response): SseChannel {
  res.status(200).set({
    "Content-Type": "text/event-stream; charset=utf-8",
    "Cache-Control": "no-cache, no-transform",
    Connection: "keep-alive",
    "X-Accel-Buffering": "no",
  });
  res.flushHeaders();
  const keepalive = setInterval(() => res.write(": keepalive\n\n"), KEEPALIVE_MS);
  const closers: (() => void)[] = [() => clearInterval(keepalive)];
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    for (const fn of closers) fn();
    res.end();
  };
  req.on("close", close);
  return {
    send(event, data, id) {
      if (closed) return;
      // JSON never contains a raw newline, so one `data:` line always holds the whole payload.
      res.write(`${id !== undefined ? `id: ${id}\n` : ""}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    close,
    onClose(fn) {
      closers.push(fn);
    },
  };
}

/** The last event a reconnecting client saw, from the standard header (0 = replay everything). */
export function lastEventId(req: Request): number {
  const raw = req.get("last-event-id");
  const n = raw ? Number(raw) : 0;
  return Number.isInteger(n) && n > 0 ? n : 0;
}

/**
 * `send` restricted to a stream's declared events, so what a route sends and what /openapi.json
 * says it sends cannot drift apart unnoticed by the compiler.
 */
export function declaredEvents<E extends Record<string, z.ZodType>>(sse: SseChannel, _events: E) {
  return <K extends keyof E & string>(event: K, data: z.output<E[K]>, id?: number) => sse.send(event, data, id);
}

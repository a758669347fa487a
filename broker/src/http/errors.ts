import type { ErrorRequestHandler, RequestHandler } from "express";
import type { Logger } from "pino";
import { MAX_BODY_BYTES } from "./schemas";

/** An error meant for the client: its code and message are safe to show. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const errorBody = (code: string, message: string, details?: unknown) => ({ error: { code, message, details: details ?? null } });

export const notFound: RequestHandler = (req, res) => {
  res.status(404).json(errorBody("not_found", `no route ${req.method} ${req.path}; GET /openapi.json lists the API`));
};

/** Maps every error to `{ error: { code, message, details } }`; internals go to the log, never the client. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (err instanceof HttpError) {
      res.status(err.status).json(errorBody(err.code, err.message, err.details));
      return;
    }
    // body-parser's errors carry a `type`; their messages describe the input, not the server.
    const type = (err as { type?: string }).type;
    if (type === "entity.parse.failed") {
      res.status(400).json(errorBody("malformed_json", "the request body is not valid JSON"));
      return;
    }
    if (type === "entity.too.large") {
      res.status(413).json(errorBody("payload_too_large", `the request body is larger than the broker accepts (${MAX_BODY_BYTES / 1024 / 1024} MiB)`));
      return;
    }
    if (typeof (err as { status?: number }).status === "number" && (err as { status: number }).status < 500) {
      const status = (err as { status: number }).status;
      res.status(status).json(errorBody("bad_request", (err as Error).message));
      return;
    }
    log.error({ err, method: req.method, path: req.path }, "request failed");
    res.status(500).json(errorBody("internal", "internal error; the broker log has the details"));
  };
}

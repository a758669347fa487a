/**
 * The broker's HTTP API as the client uses it: bearer token on every call, the broker's error
 * body turned into a message, and transport failures named with the URL and how to fix it.
 */
import { CliError, EXIT } from "./exitCodes";
import type { BrokerErrorBody } from "./contract";
import { URL_ENV, type BrokerTarget } from "./brokerTarget";

export class BrokerClient {
  constructor(readonly target: BrokerTarget) {}

  get<T>(path: string): Promise<T> {
    return this.call<T>("GET", path);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.call<T>("POST", path, body);
  }

  /** A streaming GET (server-sent events); the caller reads the body. */
  async stream(path: string, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> {
    const res = await this.send("GET", path, { Accept: "text/event-stream", ...headers }, undefined, signal);
    if (!res.ok) await this.fail(res, "GET", path);
    return res;
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.send(method, path, body === undefined ? {} : { "Content-Type": "application/json" }, body);
    if (!res.ok) await this.fail(res, method, path);
    return (await res.json()) as T;
  }

  private async send(method: string, path: string, headers: Record<string, string>, body?: unknown, signal?: AbortSignal): Promise<Response> {
    try {
      return await fetch(`${this.target.url}${path}`, {
        method,
        headers: { Authorization: `Bearer ${this.target.token}`, ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch (err) {
      throw this.unreachable(err);
    }
  }

  unreachable(err: unknown): CliError {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code === "ECONNREFUSED" ? "connection refused" : (cause?.code ?? cause?.message ?? (err as Error).message);
    return new CliError(
      `cannot reach the broker at ${this.target.url} (${why}; URL from ${this.target.source}). Is the fleet up (npm run status)? ` +
        `Point llpm at another broker with ${URL_ENV}=http://host:port or --stack NAME.`,
      EXIT.brokerUnreachable,
    );
  }

  private async fail(res: Response, method: string, path: string): Promise<never> {
    const text = await res.text();
    let message = text.slice(0, 500);
    try {
      message = (JSON.parse(text) as BrokerErrorBody).error.message;
    } catch {
      // Not the broker's error body (a proxy, another server): show the text as it came.
    }
    if (res.status === 401 || res.status === 403) {
      throw new CliError(
        `the broker at ${this.target.url} refused the token (${res.status}: ${message}); token from ${this.target.source}: ` +
          `check LLPM_BROKER_TOKEN or the stack's brokerToken (pulumi stack output --show-secrets brokerToken)`,
        EXIT.unauthorized,
      );
    }
    throw new CliError(`${message} (${method} ${path}: ${res.status})`, EXIT.brokerError);
  }
}

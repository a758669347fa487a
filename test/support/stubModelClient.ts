// The stub model server's control routes (test/support/stub-model-server/README.md), read from the
// host through the port its container publishes on 127.0.0.1.

export interface StubRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  model: string | null;
  body: Record<string, unknown>;
}

/** The key a model request carried: Anthropic's `x-api-key`, else the bearer token. */
export function keyOf(request: StubRequest): string | undefined {
  return request.headers["x-api-key"] ?? request.headers.authorization?.replace(/^Bearer /, "");
}

export interface StubProxyRequest {
  method: string;
  target: string;
}

const CALL_DEADLINE_MS = 10_000;

export class StubModelClient {
  constructor(readonly baseUrl: string) {}

  async requests(): Promise<StubRequest[]> {
    return this.getJson("/_stub/requests");
  }

  async proxyRequests(): Promise<StubProxyRequest[]> {
    return this.getJson("/_stub/proxy-requests");
  }

  /** Lets the answers held by `HOLD <key>` go; resolves with how many were waiting. */
  async release(key: string): Promise<number> {
    const response = await fetch(`${this.baseUrl}/_stub/release/${encodeURIComponent(key)}`, { method: "POST", signal: AbortSignal.timeout(CALL_DEADLINE_MS) });
    return ((await response.json()) as { released: number }).released;
  }

  async clear(): Promise<void> {
    for (const route of ["/_stub/requests", "/_stub/proxy-requests"]) {
      await fetch(`${this.baseUrl}${route}`, { method: "DELETE", signal: AbortSignal.timeout(CALL_DEADLINE_MS) });
    }
  }

  async waitUntilAnswering(): Promise<void> {
    for (let attempt = 0; attempt < 50; attempt++) {
      // Docker's port proxy accepts connections before the server listens; such a fetch can
      // stall rather than fail, so each attempt has its own deadline.
      const ok = await fetch(`${this.baseUrl}/health`, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false);
      if (ok) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`the stub model server did not answer on ${this.baseUrl}`);
  }

  private async getJson<T>(route: string): Promise<T> {
    const response = await fetch(`${this.baseUrl}${route}`, { signal: AbortSignal.timeout(CALL_DEADLINE_MS) });
    return (await response.json()) as T;
  }
}

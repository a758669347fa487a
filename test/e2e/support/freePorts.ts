// Host ports for one e2e fleet: other runs on the same engine (other engineers, CI) may hold the
// defaults, so the stack gets ports the kernel just handed out on 127.0.0.1.
import { createServer } from "node:net";

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no TCP port was assigned");
  return address.port;
}

/** A run of `count` consecutive free ports (Codex OAuth callbacks take `oauthBase + n - 1`). */
export async function freePortRange(count: number): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const first = await freePort();
    if (first + count > 65535) continue;
    const ports = await Promise.all(Array.from({ length: count - 1 }, (_, i) => isFree(first + i + 1)));
    if (ports.every(Boolean)) return first;
  }
  throw new Error(`no ${count} consecutive free ports found`);
}

async function isFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

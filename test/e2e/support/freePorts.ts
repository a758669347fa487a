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

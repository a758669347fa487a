// Every e2e run gets its own stack, so its containers (`llpm-e2e<random>-...`) never meet those
// of another run or of another engineer's tests on the same engine.
import { randomBytes } from "node:crypto";

export function e2eStackName(): string {
  return `e2e${randomBytes(3).toString("hex")}`;
}

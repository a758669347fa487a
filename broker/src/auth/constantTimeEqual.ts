import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Compares secrets without leaking where they differ or how long the expected one is: both sides
 * are hashed first so timingSafeEqual always sees equal-length inputs.
 */
export function constantTimeEqual(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

export const truncationMarker = (capBytes: number) => `\n[llpm-broker: log truncated at ${capBytes} bytes]\n`;

/**
 * How much of a new chunk fits under the cap. Cuts on a character boundary so the stored log stays
 * valid UTF-8. `truncate` is true for the first chunk that does not fit whole, also when the
 * log filled the cap to the byte just before it (the caller stops appending after that).
 */
export function fitChunk(usedBytes: number, capBytes: number, chunk: string): { keep: string; truncate: boolean } {
  if (usedBytes >= capBytes) return { keep: "", truncate: chunk.length > 0 };
  const room = capBytes - usedBytes;
  if (Buffer.byteLength(chunk) <= room) return { keep: chunk, truncate: false };
  let keep = Buffer.from(chunk).subarray(0, room).toString("utf8");
  // A multi-byte character cut in half decodes to U+FFFD; drop it rather than store a wrong char.
  if (keep.endsWith("\uFFFD")) keep = keep.slice(0, -1);
  return { keep, truncate: true };
}

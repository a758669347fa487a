/** Server-sent events from a fetch() body: one `{id, event, data}` per block, comments skipped. */
export interface SseMessage {
  id: string | null;
  event: string;
  data: string;
}

/** Parses a stream of text chunks into events; a block without `event:` is a `message`. */
export class SseParser {
  private buffer = "";

  push(chunk: string): SseMessage[] {
    // A CR at the end of a chunk may be half of a CRLF: normalise it once the next chunk shows.
    this.buffer += chunk;
    const pendingCr = this.buffer.endsWith("\r");
    this.buffer = (pendingCr ? this.buffer.slice(0, -1) : this.buffer).replace(/\r\n?/g, "\n") + (pendingCr ? "\r" : "");
    const out: SseMessage[] = [];
    let split: number;
    while ((split = this.buffer.indexOf("\n\n")) >= 0) {
      const block = this.buffer.slice(0, split);
      this.buffer = this.buffer.slice(split + 2);
      let id: string | null = null;
      let event = "message";
      const data: string[] = [];
      for (const line of block.split("\n")) {
        if (line === "" || line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "id") id = value;
        else if (field === "event") event = value;
        else if (field === "data") data.push(value);
      }
      if (data.length > 0) out.push({ id, event, data: data.join("\n") });
    }
    return out;
  }
}

export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage> {
  const parser = new SseParser();
  const decoder = new TextDecoder();
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    yield* parser.push(decoder.decode(chunk, { stream: true }));
  }
}

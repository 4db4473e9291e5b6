import { PayloadError } from "./payload-error.js";

/**
 * Pulls lines and byte runs out of a chunked byte stream without gathering it: a framed body
 * (aws-chunked) arrives in network-sized pieces that cut across its frames anywhere.
 */
export class ByteReader {
  readonly #source: AsyncIterator<Uint8Array>;
  #pending: Buffer = Buffer.alloc(0);
  #ended = false;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.#source = source[Symbol.asyncIterator]();
  }

  /** The next line without its CRLF; undefined at the end of the stream. */
  async readLine(maxLength = 8192): Promise<string | undefined> {
    for (;;) {
      const end = this.#pending.indexOf("\r\n");
      if (end >= 0) {
        const line = this.#pending.subarray(0, end).toString("latin1");
        this.#pending = this.#pending.subarray(end + 2);
        return line;
      }
      if (this.#pending.length > maxLength) {
        throw new PayloadError("InvalidRequest", "An aws-chunked header line is longer than allowed.");
      }
      if (!(await this.#fill())) {
        if (this.#pending.length === 0) return undefined;
        throw new PayloadError("IncompleteBody", "The aws-chunked body ended in the middle of a line.");
      }
    }
  }

  /** Exactly `length` bytes, as they arrive; throws IncompleteBody when the stream ends first. */
  async *read(length: number): AsyncIterable<Buffer> {
    let left = length;
    while (left > 0) {
      if (this.#pending.length === 0 && !(await this.#fill())) {
        throw new PayloadError("IncompleteBody", "The aws-chunked body ended inside a chunk.");
      }
      const piece = this.#pending.subarray(0, left);
      this.#pending = this.#pending.subarray(piece.length);
      left -= piece.length;
      yield piece;
    }
  }

  /** Whether anything but the end of the stream is left. */
  async atEnd(): Promise<boolean> {
    while (this.#pending.length === 0) if (!(await this.#fill())) return true;
    return false;
  }

  /** Lets go of the source early (its iterator's `return`), so that it can be drained elsewhere. */
  async close(): Promise<void> {
    if (!this.#ended) {
      this.#ended = true;
      await this.#source.return?.();
    }
  }

  async #fill(): Promise<boolean> {
    if (this.#ended) return false;
    const next = await this.#source.next();
    if (next.done) {
      this.#ended = true;
      return false;
    }
    const chunk = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    return true;
  }
}

import { createHash, type Hash } from "node:crypto";
import { once } from "node:events";
import type { Writable } from "node:stream";

/**
 * Where the writer's bytes go: a Writable written with backpressure, counting the offset and
 * hashing everything (CodeBuild reports the zip's md5sum and sha256sum).
 */
export class ZipSink {
  offset = 0;
  private readonly sha256: Hash = createHash("sha256");
  private readonly md5: Hash = createHash("md5");
  private failure: Error | undefined;

  constructor(private readonly out: Writable) {
    out.on("error", (error: Error) => {
      this.failure ??= error;
    });
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    if (chunk.length === 0) return;
    this.sha256.update(chunk);
    this.md5.update(chunk);
    this.offset += chunk.length;
    if (!this.out.write(chunk)) await once(this.out, "drain");
    if (this.failure !== undefined) throw this.failure;
  }

  digests(): { sha256: string; md5: string } {
    return { sha256: this.sha256.digest("hex"), md5: this.md5.digest("hex") };
  }
}

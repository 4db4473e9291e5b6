import { PassThrough } from "node:stream";
import { writeZip } from "../../src/zip/index.js";

/** A zip of the given files (name → text), as bytes. */
export async function zipOf(files: Record<string, string | Uint8Array>): Promise<Uint8Array> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  await writeZip(
    Object.entries(files).map(([name, content]) => ({
      name,
      source: { kind: "data" as const, data: typeof content === "string" ? Buffer.from(content) : content },
    })),
    out,
  );
  return new Uint8Array(Buffer.concat(chunks));
}

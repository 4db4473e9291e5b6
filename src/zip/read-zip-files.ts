import { openByteSource } from "./byte-source.js";
import { readCentralDirectory } from "./central-directory.js";
import { readEntryBytes } from "./entry-data.js";
import { normalizeEntryName } from "./entry-name.js";

/**
 * The regular files of a small zip archive in memory, by normalised path (`a/b.json`), each
 * checked against its CRC as it is read. For artifacts a step reads a few files of (an ECS
 * deploy's imagedefinitions.json); `maxBytes` caps the total so a huge artifact is refused
 * rather than held. Names that would escape the archive are skipped, as extractZip refuses them.
 */
export async function readZipFiles(
  source: Uint8Array,
  options: { maxBytes?: number; only?: (path: string) => boolean } = {},
): Promise<Map<string, Uint8Array>> {
  const max = options.maxBytes ?? 64 * 1024 * 1024;
  const bytes = await openByteSource(source);
  try {
    const files = new Map<string, Uint8Array>();
    let total = 0;
    for (const entry of await readCentralDirectory(bytes)) {
      if (entry.kind !== "file") continue;
      const path = safeName(entry.name);
      if (path === undefined || (options.only && !options.only(path))) continue;
      total += entry.size;
      if (total > max) throw new Error(`the archive holds more than ${max} bytes of files`);
      files.set(path, await readEntryBytes(bytes, entry));
    }
    return files;
  } finally {
    await bytes.close();
  }
}

function safeName(name: string): string | undefined {
  const normalised = normalizeEntryName(name);
  return normalised.ok && normalised.value !== "" ? normalised.value : undefined;
}

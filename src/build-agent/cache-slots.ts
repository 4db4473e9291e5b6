import { createHash, randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * The project's cache directory as a store of slots (spec/buildspec.md §3.7):
 *
 *   <cacheRoot>/slots/default         the slot of a buildspec without `key` (replaced on save)
 *   <cacheRoot>/slots/key-<sha256>    one immutable slot per key
 *   <cacheRoot>/tmp/                  slots being written; renamed into slots/ when complete
 *
 * A slot holds `meta.json` ({key, writtenAt}), `rel/` (paths relative to the source
 * directory) and `abs/` (absolute paths as the build sees them). Slots appear by rename, so a
 * crash never leaves a half-written slot in slots/ (only debris in tmp/, removed after a day).
 */

export interface SlotMeta {
  readonly key?: string;
  /** Milliseconds since the epoch; strictly increasing across the store's slots. */
  readonly writtenAt: number;
}

export interface Slot {
  readonly dir: string;
  readonly meta: SlotMeta;
}

const STALE_TMP_MS = 24 * 60 * 60 * 1000;

export function slotName(key: string | undefined): string {
  return key === undefined ? "default" : `key-${createHash("sha256").update(key).digest("hex").slice(0, 40)}`;
}

/** The slot for `key` (undefined: the unkeyed slot), if one has been written. */
export async function findSlot(cacheRoot: string, key: string | undefined): Promise<Slot | undefined> {
  const dir = join(cacheRoot, "slots", slotName(key));
  const meta = await readMeta(dir);
  return meta === undefined || meta.key !== key ? undefined : { dir, meta };
}

/** The most recently written keyed slot whose key starts with `prefix`. */
export async function findByPrefix(cacheRoot: string, prefix: string): Promise<Slot | undefined> {
  let best: Slot | undefined;
  for (const slot of await keyedSlots(cacheRoot)) {
    if (
      slot.meta.key?.startsWith(prefix) &&
      (best === undefined || slot.meta.writtenAt > best.meta.writtenAt)
    ) {
      best = slot;
    }
  }
  return best;
}

/**
 * Writes a slot: `fill` populates a fresh temporary directory, which then replaces the unkeyed
 * slot or becomes the keyed one. Returns false when a keyed slot appeared meanwhile (another
 * build saved the same key first; keyed slots are immutable, so ours is discarded).
 */
export async function writeSlot(
  cacheRoot: string,
  key: string | undefined,
  fill: (dir: string) => Promise<void>,
): Promise<boolean> {
  const tmp = join(cacheRoot, "tmp");
  await mkdir(tmp, { recursive: true });
  await mkdir(join(cacheRoot, "slots"), { recursive: true });
  await removeStale(tmp);
  const work = join(tmp, `${slotName(key)}-${randomBytes(6).toString("hex")}`);
  await mkdir(work);
  try {
    await fill(work);
    const meta: SlotMeta = {
      ...(key === undefined ? {} : { key }),
      writtenAt: await nextWrittenAt(cacheRoot),
    };
    await writeFile(join(work, "meta.json"), JSON.stringify(meta));
    const final = join(cacheRoot, "slots", slotName(key));
    if (key === undefined) {
      const old = `${work}-old`;
      await rename(final, old).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== "ENOENT") throw error;
      });
      await rename(work, final);
      await rm(old, { recursive: true, force: true });
      return true;
    }
    try {
      await rename(work, final);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOTEMPTY" || code === "EEXIST") return false;
      throw error;
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function keyedSlots(cacheRoot: string): Promise<Slot[]> {
  const names = await readdir(join(cacheRoot, "slots")).catch(() => []);
  const slots: Slot[] = [];
  for (const name of names.filter((n) => n.startsWith("key-"))) {
    const dir = join(cacheRoot, "slots", name);
    const meta = await readMeta(dir);
    if (meta?.key !== undefined) slots.push({ dir, meta });
  }
  return slots;
}

async function readMeta(dir: string): Promise<SlotMeta | undefined> {
  const text = await readFile(join(dir, "meta.json"), "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  const meta = JSON.parse(text) as SlotMeta;
  return typeof meta.writtenAt === "number" ? meta : undefined;
}

async function nextWrittenAt(cacheRoot: string): Promise<number> {
  const slots = await keyedSlots(cacheRoot);
  const unkeyed = await readMeta(join(cacheRoot, "slots", "default"));
  const latest = Math.max(0, unkeyed?.writtenAt ?? 0, ...slots.map((slot) => slot.meta.writtenAt));
  return Math.max(Date.now(), latest + 1);
}

async function removeStale(tmp: string): Promise<void> {
  for (const name of await readdir(tmp)) {
    const info = await stat(join(tmp, name)).catch(() => undefined);
    if (info !== undefined && Date.now() - info.mtimeMs > STALE_TMP_MS) {
      await rm(join(tmp, name), { recursive: true, force: true });
    }
  }
}

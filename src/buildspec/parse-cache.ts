import { errorAt, type ParseContext, warningAt } from "./parse-context.js";
import type { CacheSpec } from "./types.js";
import { reportUnknownKey } from "./unknown-key.js";
import {
  entryNode,
  isEmptyList,
  type MapEntry,
  readEntryEntries,
  readScalar,
  readStringList,
} from "./yaml-nodes.js";

/** CodeBuild tries at most five fallback keys (spec §3.7). */
export const maxFallbackKeys = 5;

const cacheKeys = ["paths", "key", "fallback-keys", "action"] as const;

/**
 * Reads the `cache` section (spec §3.7): `paths` (required, non-empty), `key`,
 * `fallback-keys` (at most five; ignored without `key`) and `action` (restore | save).
 */
export function parseCache(ctx: ParseContext, entry: MapEntry): CacheSpec {
  let paths: string[] | undefined;
  let key: string | undefined;
  let fallbackKeys: string[] = [];
  let fallbackEntry: MapEntry | undefined;
  let action: CacheSpec["action"];
  const entries = readEntryEntries(ctx, entry);
  for (const child of entries ?? []) {
    switch (child.key) {
      case "paths":
        paths = readStringList(ctx, child, { scalar: "accept" }) ?? [];
        if (isEmptyList(child)) {
          errorAt(
            ctx,
            entryNode(child),
            child.path,
            `cache.paths is empty; list at least one directory or glob to cache`,
          );
        }
        break;
      case "key":
        key = readScalar(ctx, child, { example: "npm-$(codebuild-hash-files package-lock.json)" });
        break;
      case "fallback-keys":
        fallbackEntry = child;
        fallbackKeys = readStringList(ctx, child, { scalar: "accept" }) ?? [];
        if (fallbackKeys.length > maxFallbackKeys) {
          errorAt(
            ctx,
            entryNode(child),
            child.path,
            `cache.fallback-keys lists ${fallbackKeys.length} keys; CodeBuild tries at most ${maxFallbackKeys}, so remove some`,
          );
        }
        break;
      case "action":
        action = readAction(ctx, child);
        break;
      default:
        reportUnknownKey(ctx, child, { severity: "error", where: "in cache", known: cacheKeys });
    }
  }
  if (paths === undefined && entries !== undefined) {
    errorAt(
      ctx,
      entry.keyNode,
      entry.path,
      `cache has no paths list; add paths: with the directories to cache, e.g. - '/root/.m2/**/*'`,
    );
  }
  if (fallbackEntry !== undefined && key === undefined) {
    warningAt(
      ctx,
      fallbackEntry.keyNode,
      fallbackEntry.path,
      `cache.fallback-keys is ignored without cache.key; add a key`,
    );
  }
  return {
    paths: paths ?? [],
    fallbackKeys,
    ...(key === undefined ? {} : { key }),
    ...(action === undefined ? {} : { action }),
  };
}

function readAction(ctx: ParseContext, entry: MapEntry): CacheSpec["action"] {
  const text = readScalar(ctx, entry, { example: "restore" });
  if (text === "restore" || text === "save" || text === undefined) return text;
  errorAt(
    ctx,
    entryNode(entry),
    entry.path,
    `cache.action must be restore or save, found ${JSON.stringify(text)}; leave it out to restore and save`,
  );
  return undefined;
}

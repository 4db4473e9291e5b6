import type { PipelineDeclaration, Tag } from "../model/declaration.js";
import type { PipelineRecord } from "./types.js";

/*
 * Checks every implementation makes before it writes. Each one guards against a caller bug, so
 * it throws (see types.ts: a thrown Error is a bug or a failed store, never an expected outcome).
 */

/** `create` stores version 1 and nothing else. */
export function assertFirstVersion(record: PipelineRecord): void {
  if (record.version !== 1) {
    throw new Error(
      `pipeline store: create takes version 1, got version ${record.version} of '${record.name}'`,
    );
  }
}

export function assertPageLimit(limit: number, store = "pipeline store"): void {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`${store}: list limit must be a positive integer, got ${limit}`);
  }
}

/** A tag set is keyed by `key`; two values for one key would make the stored set depend on order. */
export function assertUniqueTagKeys(resourceArn: string, tags: readonly Tag[]): void {
  const keys = new Set<string>();
  for (const tag of tags) {
    if (keys.has(tag.key))
      throw new Error(`tag store: key '${tag.key}' appears twice in the tags of ${resourceArn}`);
    keys.add(tag.key);
  }
}

/** The declaration as stored: its `version` always equals the record's. */
export function withVersion(declaration: PipelineDeclaration, version: number): PipelineDeclaration {
  return { ...declaration, version };
}

import { isAlias, isMap, isScalar, isSeq, type Node } from "yaml";
import { childPath, errorAt, itemPath, type ParseContext, warningAt } from "./parse-context.js";

/**
 * One `key: value` line of a mapping. `value` is null when the YAML value is empty or a null
 * literal (`~`, `null`), and `broken` is set when the value is an alias that resolves to nothing
 * (already reported by the document loader, so readers stay silent about it).
 */
export interface MapEntry {
  readonly key: string;
  readonly keyNode: Node;
  readonly value: Node | null;
  readonly broken: boolean;
  readonly path: string;
}

const nullLiterals = new Set(["", "~", "null", "Null", "NULL"]);

/** Whether a node is YAML's null: an empty plain value or a null literal. */
export function isNullNode(node: Node | null): boolean {
  if (node === null) return true;
  return isScalar(node) && node.type === "PLAIN" && nullLiterals.has(String(node.value));
}

/** Resolves aliases; `undefined` for an alias whose anchor does not exist. */
function deref(ctx: ParseContext, node: unknown): Node | null | undefined {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) return (node.resolve(ctx.doc) as Node | undefined) ?? undefined;
  return node as Node;
}

/** The node an issue about this entry's value points at: the value, or the key when empty. */
export function entryNode(entry: MapEntry): Node {
  return entry.value ?? entry.keyNode;
}

/** "a mapping", "a list", "a value": for messages that say what was found instead. */
export function describeNode(node: Node | null): string {
  if (node === null || isNullNode(node)) return "nothing";
  if (isMap(node)) return "a mapping (key: value lines)";
  if (isSeq(node)) return "a list";
  return "a single value";
}

/**
 * The entries of a mapping node, in file order. A null node has none. Anything else is reported
 * as an error at `path` and yields `undefined`. Keys must be plain scalars; YAML merge keys
 * (`<<`) are rejected because buildspecs are read key by key. A key written twice keeps its
 * first entry (the document loader reports the duplicate).
 */
export function readEntries(
  ctx: ParseContext,
  node: Node | null,
  path: string,
  at: Node,
): MapEntry[] | undefined {
  if (node === null || isNullNode(node)) return [];
  if (!isMap(node)) {
    errorAt(
      ctx,
      at,
      path,
      `${path || "the buildspec"} must be a mapping (key: value lines), found ${describeNode(node)}`,
    );
    return undefined;
  }
  const entries: MapEntry[] = [];
  const seen = new Set<string>();
  for (const pair of node.items) {
    const keyNode = pair.key as Node | null;
    if (keyNode === null || !isScalar(keyNode)) {
      errorAt(
        ctx,
        keyNode ?? node,
        path,
        `${path || "the buildspec"} has a key that is not a plain name; write keys as simple words`,
      );
      continue;
    }
    const key = String(keyNode.value);
    if (key === "<<") {
      errorAt(
        ctx,
        keyNode,
        path,
        "YAML merge keys (<<) are not supported in a buildspec; write the keys out in full",
      );
      continue;
    }
    if (seen.has(key)) continue;
    seen.add(key);
    const resolved = deref(ctx, pair.value);
    const value = resolved === undefined || isNullNode(resolved) ? null : resolved;
    entries.push({ key, keyNode, value, broken: resolved === undefined, path: childPath(path, key) });
  }
  return entries;
}

/** The entries of an entry's mapping value (see `readEntries`). */
export function readEntryEntries(ctx: ParseContext, entry: MapEntry): MapEntry[] | undefined {
  if (entry.broken) return undefined;
  return readEntries(ctx, entry.value, entry.path, entryNode(entry));
}

/**
 * A scalar value's text exactly as YAML gives it (`3.10` stays "3.10"). An empty value is an
 * error unless `allowEmpty`, in which case it reads as "" (what CodeBuild's Go agent reads).
 */
export function readScalar(
  ctx: ParseContext,
  entry: MapEntry,
  options: { readonly allowEmpty?: boolean; readonly example?: string } = {},
): string | undefined {
  if (entry.broken) return undefined;
  if (entry.value === null) {
    if (options.allowEmpty) return "";
    const example = options.example === undefined ? "" : `, e.g. ${entry.key}: ${options.example}`;
    errorAt(ctx, entry.keyNode, entry.path, `${entry.path} has no value; give it one${example}`);
    return undefined;
  }
  if (!isScalar(entry.value)) {
    errorAt(
      ctx,
      entry.value,
      entry.path,
      `${entry.path} must be a single value, found ${describeNode(entry.value)}`,
    );
    return undefined;
  }
  return String(entry.value.value);
}

/**
 * A yes/no flag (`discard-paths`, `enable-symlinks`, `git-credential-helper`, `proxy` keys):
 * yes, no, true or false in any case. Anything else is an error naming the key.
 */
export function readYesNo(ctx: ParseContext, entry: MapEntry): boolean | undefined {
  const text = readScalar(ctx, entry, { example: "yes" });
  if (text === undefined) return undefined;
  const lower = text.toLowerCase();
  if (lower === "yes" || lower === "true") return true;
  if (lower === "no" || lower === "false") return false;
  errorAt(ctx, entryNode(entry), entry.path, `${entry.key} must be yes or no, found ${JSON.stringify(text)}`);
  return undefined;
}

export interface ListOptions {
  /** What a single scalar instead of a list does: read as one item, or also warn. */
  readonly scalar: "accept" | "warn";
  /** Message for an item that is not a scalar; default: "must be a single value". */
  readonly itemError?: (index: number, item: Node) => string;
  /** Null items (`-` alone) are skipped with a warning when set, errors otherwise. */
  readonly skipEmptyItems?: boolean;
}

/**
 * Whether a list value is written empty (`files:` or `files: []`). Items that were dropped
 * because they were invalid do not make a list empty: they already have their own error.
 */
export function isEmptyList(entry: MapEntry): boolean {
  return !entry.broken && (entry.value === null || (isSeq(entry.value) && entry.value.items.length === 0));
}

/** One scalar item of a list, with where it was written. */
export interface ListItem {
  readonly text: string;
  readonly node: Node;
  readonly path: string;
}

/**
 * A list of scalars, each item's text as YAML gives it. A null value is an empty list (callers
 * decide whether that is allowed); a single scalar is one item (`files: imagedefinitions.json`).
 */
export function readStringList(
  ctx: ParseContext,
  entry: MapEntry,
  options: ListOptions,
): string[] | undefined {
  return readStringItems(ctx, entry, options)?.map((item) => item.text);
}

/** `readStringList`, keeping each item's node and path for later checks. */
export function readStringItems(
  ctx: ParseContext,
  entry: MapEntry,
  options: ListOptions,
): ListItem[] | undefined {
  if (entry.broken) return undefined;
  const value = entry.value;
  if (value === null) return [];
  if (isScalar(value)) {
    if (options.scalar === "warn") {
      warningAt(
        ctx,
        value,
        entry.path,
        `${entry.path} should be a list; read the single value as one item (write it as "- ${String(value.value)}")`,
      );
    }
    return [{ text: String(value.value), node: value, path: itemPath(entry.path, 0) }];
  }
  if (!isSeq(value)) {
    errorAt(
      ctx,
      value,
      entry.path,
      `${entry.path} must be a list ("- item" lines), found ${describeNode(value)}`,
    );
    return undefined;
  }
  const items: ListItem[] = [];
  value.items.forEach((raw, index) => {
    const path = itemPath(entry.path, index);
    const item = deref(ctx, raw);
    if (item === undefined) return;
    const at = (raw as Node | null) ?? value;
    if (item === null || isNullNode(item)) {
      if (options.skipEmptyItems)
        warningAt(ctx, at, path, `${path} is empty and is ignored; remove the empty "-" line`);
      else errorAt(ctx, at, path, `${path} is empty; remove the empty "-" line or give it a value`);
      return;
    }
    if (!isScalar(item)) {
      const message =
        options.itemError?.(index, item) ?? `${path} must be a single value, found ${describeNode(item)}`;
      errorAt(ctx, item, path, message);
      return;
    }
    items.push({ text: String(item.value), node: item, path });
  });
  return items;
}

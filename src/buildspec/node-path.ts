import { isAlias, isMap, isScalar, isSeq, type Node } from "yaml";
import { childPath, itemPath, offsetOf } from "./parse-context.js";

/**
 * The key path (`phases.build.commands[1]`) of the innermost entry that starts at or before
 * `offset`. Used for problems the YAML layer finds (syntax errors, aliases, duplicate keys),
 * where no reader is walking the tree; "" means the top level.
 */
export function pathAtOffset(root: Node | null, offset: number): string {
  let path = "";
  let node: unknown = root;
  while (node !== null && node !== undefined && !isScalar(node) && !isAlias(node)) {
    if (isMap(node)) {
      const pair = [...node.items].reverse().find((item) => startsBefore(item.key, offset));
      if (pair === undefined || !isScalar(pair.key)) break;
      path = childPath(path, String(pair.key.value));
      node = startsBefore(pair.value, offset) ? pair.value : null;
    } else if (isSeq(node)) {
      const index = node.items.findLastIndex((item) => startsBefore(item, offset));
      if (index < 0) break;
      path = itemPath(path, index);
      node = node.items[index];
    } else break;
  }
  return path;
}

function startsBefore(node: unknown, offset: number): boolean {
  return node !== null && typeof node === "object" && "range" in node && offsetOf(node as Node) <= offset;
}

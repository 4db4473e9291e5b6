import type { Tag } from "../../model/declaration.js";
import { assertUniqueTagKeys } from "../store-checks.js";
import type { TagStore } from "../types.js";
import { compareByteOrder } from "./compare-byte-order.js";
import { frozenCopy } from "./frozen-copy.js";

/** Tags in a Map: resource ARN → tags, kept sorted by key. */
export function createMemoryTagStore(checkOpen: () => void): TagStore {
  const tagsByArn = new Map<string, Tag[]>();

  return {
    async get(resourceArn) {
      checkOpen();
      return tagsByArn.get(resourceArn) ?? [];
    },

    async put(resourceArn, tags) {
      checkOpen();
      assertUniqueTagKeys(resourceArn, tags);
      if (tags.length === 0) {
        tagsByArn.delete(resourceArn);
        return;
      }
      tagsByArn.set(resourceArn, frozenCopy([...tags].sort((a, b) => compareByteOrder(a.key, b.key))));
    },
  };
}

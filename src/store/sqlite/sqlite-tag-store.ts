import type Database from "better-sqlite3";
import type { Tag } from "../../model/declaration.js";
import { assertUniqueTagKeys } from "../store-checks.js";
import type { TagStore } from "../types.js";
import { deleteTags, insertTag, selectTags } from "./tag-queries.js";

/** Tags in SQLite; `put` replaces the set in one transaction. */
export function createSqliteTagStore(db: Database.Database): TagStore {
  const replace = db.transaction((resourceArn: string, tags: readonly Tag[]) => {
    deleteTags(db, resourceArn);
    for (const tag of tags) insertTag(db, resourceArn, tag);
  });

  return {
    async get(resourceArn) {
      return selectTags(db, resourceArn);
    },

    async put(resourceArn, tags) {
      assertUniqueTagKeys(resourceArn, tags);
      replace.immediate(resourceArn, tags);
    },
  };
}

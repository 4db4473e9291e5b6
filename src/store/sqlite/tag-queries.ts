import type Database from "better-sqlite3";
import type { Tag } from "../../model/declaration.js";
import { prepared } from "./prepared.js";

export function selectTags(db: Database.Database, resourceArn: string): Tag[] {
  return prepared<Tag>(db, "SELECT key, value FROM tags WHERE resource_arn = ? ORDER BY key").all(
    resourceArn,
  );
}

export function deleteTags(db: Database.Database, resourceArn: string): void {
  prepared(db, "DELETE FROM tags WHERE resource_arn = ?").run(resourceArn);
}

export function insertTag(db: Database.Database, resourceArn: string, tag: Tag): void {
  prepared(db, "INSERT INTO tags (resource_arn, key, value) VALUES (?, ?, ?)").run(
    resourceArn,
    tag.key,
    tag.value,
  );
}

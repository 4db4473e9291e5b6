import type { Tag } from "../model/declaration.js";

// Tags of any resource, by ARN. Contract rules common to every store: common-types.ts.
/** Tags of any resource, keyed by its ARN (ARNs already carry account and region). */
export interface TagStore {
  /** Tags sorted by key (byte order); empty when none. */
  get(resourceArn: string): Promise<Tag[]>;
  /**
   * Replaces the whole set (an empty list removes the entry). Keys must be unique; a set naming a
   * key twice is a caller bug, throws, and leaves the stored set as it was.
   */
  put(resourceArn: string, tags: readonly Tag[]): Promise<void>;
}

import type { Logger } from "../../lib/logger.js";
import type { RepositoryStore, TagStore } from "../../store/types.js";
import type { PushListener } from "../git/deps.js";

/** What the CodeCommit operations need: the repositories, their tags, and new ids. */
export interface CodeCommitDeps {
  readonly repositories: RepositoryStore;
  readonly tags: TagStore;
  /** A new repository's id: a lower-case UUID (the store names its directory after it). */
  readonly newId: () => string;
  /** Page size of ListRepositories (AWS's is 1,000) and ListBranches; tests make it small. */
  readonly pageSize?: number;
  /**
   * Told of every CreateCommit that moved a branch, as the git front end's `onPush` is told of a
   * push (main/ passes the same listener, so a commit starts pipelines as a push does).
   */
  readonly onCommit?: PushListener;
  /** Where a failing onCommit is logged (the commit itself stands). */
  readonly logger?: Logger;
}

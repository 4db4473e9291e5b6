import type { RepositoryStore, TagStore } from "../../store/types.js";

/** What the CodeCommit operations need: the repositories, their tags, and new ids. */
export interface CodeCommitDeps {
  readonly repositories: RepositoryStore;
  readonly tags: TagStore;
  /** A new repository's id: a lower-case UUID (the store names its directory after it). */
  readonly newId: () => string;
  /** Page size of ListRepositories (AWS's is 1,000) and ListBranches; tests make it small. */
  readonly pageSize?: number;
}

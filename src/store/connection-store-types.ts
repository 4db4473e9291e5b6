import type { CreateResult, Page, Scope } from "./common-types.js";

// Connections (CodeConnections): named pointers at git repositories outside this server. Contract rules common to every store: common-types.ts.
export interface ConnectionRecord {
  readonly scope: Scope;
  /** A UUID: the last part of the connection ARN. */
  readonly connectionId: string;
  readonly connectionName: string;
  /** AWS's ProviderType (GitHub, GitLab, Bitbucket, ...), kept as given. */
  readonly providerType: string;
  readonly hostArn?: string;
  /**
   * Where the connection's repositories live: `<root>/<FullRepositoryId>` is cloned. A local
   * directory, a git URL prefix, or `pipewright:` for this server's hosted repositories.
   * Absent: the provider's public host (https://github.com/...).
   */
  readonly repositoryRoot?: string;
  readonly tags: readonly { readonly Key: string; readonly Value: string }[];
  readonly created: number;
}

/** Connections by scope and id. Contract: store/contract/connection-store.contract.ts. */
export interface ConnectionStore {
  create(record: ConnectionRecord): Promise<CreateResult>;
  get(scope: Scope, connectionId: string): Promise<ConnectionRecord | undefined>;
  /** In creation order (then id), after `after` (the previous page's `nextAfter`). */
  list(scope: Scope, options: { after?: string; limit: number }): Promise<Page<ConnectionRecord>>;
  remove(scope: Scope, connectionId: string): Promise<boolean>;
}

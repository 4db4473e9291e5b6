import type { Logger } from "../../lib/logger.js";
import type { RefUpdate, RepositoryRecord, RepositoryStore, Scope } from "../../store/types.js";
import type { GitCredential } from "./basic-auth.js";

/** One push that changed refs: what a pipeline trigger needs to know. */
export interface PushEvent {
  readonly scope: Scope;
  /** The repository as it is after the push (its default branch may just have been set). */
  readonly repository: RepositoryRecord;
  /** Exactly the refs this push changed, in ref name order. */
  readonly updates: readonly RefUpdate[];
  /** The access key id that pushed, or `anonymous`. */
  readonly pusher: string;
}

/**
 * Called once per push that changed at least one ref, after git has updated the refs and before
 * the push's HTTP response ends (so when `git push` returns, the callback has run). Keep it
 * short: the client waits. A throw or rejection is logged and never reaches the client.
 */
export type PushListener = (push: PushEvent) => Promise<void> | void;

export interface GitDeps {
  readonly repositories: RepositoryStore;
  /**
   * Keys that may fetch and push (HTTP Basic: access key id and secret access key). Empty: no
   * authentication, which main/ allows only on a loopback address (as for the JSON API).
   */
  readonly credentials: readonly GitCredential[];
  /** The account that owns the repositories, and the region git URLs belong to. */
  readonly defaultScope: Scope;
  readonly onPush: PushListener;
  readonly newRequestId: () => string;
  readonly logger: Logger;
}

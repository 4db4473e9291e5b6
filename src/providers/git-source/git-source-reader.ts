import type { FailureDetails } from "../../model/failure.js";

/** Where a git source action reads from. */
export type GitSourceLocation =
  | { readonly kind: "hosted"; readonly repositoryName: string }
  | { readonly kind: "connection"; readonly connectionArn: string; readonly fullRepositoryId: string };

export interface SourceCommit {
  readonly commitId: string;
  readonly message: string;
  /** Milliseconds since the epoch. */
  readonly authorDate: number;
  readonly committerDate: number;
}

export interface SourceScope {
  readonly accountId: string;
  readonly region: string;
}

/**
 * What the git source providers need from the shell (main/ adapts the hosted repositories and
 * the connections' mirrors to it). Failures the user can act on (no such repository, branch or
 * commit) come back as FailureDetails; a thrown error means the reader itself broke.
 */
export interface GitSourceReader {
  /** Resolves a branch head (fetching first, for a connection) or checks that a commit exists. */
  resolve(
    scope: SourceScope,
    location: GitSourceLocation,
    revision: { readonly branch: string } | { readonly commit: string },
  ): Promise<{ ok: true; commit: SourceCommit } | { ok: false; failure: FailureDetails }>;
  /** A zip of the tree at the commit, without `.git`. */
  archive(scope: SourceScope, location: GitSourceLocation, commit: string): AsyncIterable<Uint8Array>;
  /** A URL or path `git clone` can use (CODEBUILD_CLONE_REF artifacts point at it). */
  cloneUrl(scope: SourceScope, location: GitSourceLocation): Promise<string>;
}

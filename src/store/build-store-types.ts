import type { BuildDocument, ProjectDocument, ReportDocument } from "../codebuild/documents.js";
import type { CreateResult, Page, Scope } from "./types.js";

/**
 * CodeBuild's resources: projects, builds, their logs and their reports. The general store
 * contract of types.ts applies (durable on resolve, expected conflicts as values, scoped by
 * account and region, records are plain frozen JSON).
 */

export interface BuildProjectRecord {
  readonly scope: Scope;
  readonly name: string;
  readonly document: ProjectDocument;
  /** Epoch milliseconds. */
  readonly created: number;
  readonly lastModified: number;
}

export interface BuildRecord {
  readonly scope: Scope;
  /** `document.id` is the key (`<project>:<uuid>`), unique per scope. */
  readonly document: BuildDocument;
}

export interface ReportRecord {
  readonly scope: Scope;
  /** `document.arn` is the key. */
  readonly document: ReportDocument;
}

export interface BuildLogLine {
  /** 1, 2, 3, ... per build, in the order the lines were written. */
  readonly seq: number;
  readonly text: string;
}

export interface BuildListQuery {
  /** Only this project's builds (ListBuildsForProject). */
  readonly projectName?: string;
  /** By start time, then id; DESCENDING (newest first) is the API's default. */
  readonly order: "ASCENDING" | "DESCENDING";
  /** The `nextAfter` of the previous page. */
  readonly after?: string;
  /** A positive integer. */
  readonly limit: number;
}

/** A StartBuild idempotencyToken and the build it started (kept for the token's five minutes). */
export interface BuildTokenRecord {
  readonly token: string;
  readonly buildId: string;
  readonly projectName: string;
  /** Epoch milliseconds after which the token no longer names the build. */
  readonly expires: number;
}

export interface BuildStore {
  /** NameInUse when the scope has a project of that name. */
  createProject(record: BuildProjectRecord): Promise<CreateResult>;
  /** Replaces the project's record (UpdateProject); NotFound when there is none. */
  replaceProject(record: BuildProjectRecord): Promise<{ ok: true } | { ok: false; reason: "NotFound" }>;
  getProject(scope: Scope, name: string): Promise<BuildProjectRecord | undefined>;
  /** Every project of the scope, in ascending name order (code point order). */
  listProjects(scope: Scope): Promise<BuildProjectRecord[]>;
  /** Removes the project and its build counter; its builds, logs and reports stay. False if absent. */
  deleteProject(scope: Scope, name: string): Promise<boolean>;
  /**
   * The next build number of a project: 1 for its first build, then +1 each call, never
   * repeating, also across restarts and concurrent callers. Deleting the project resets it.
   */
  nextBuildNumber(scope: Scope, projectName: string): Promise<number>;

  /** Creates or replaces a build (keyed by scope and `document.id`). */
  putBuild(record: BuildRecord): Promise<void>;
  getBuild(scope: Scope, id: string): Promise<BuildRecord | undefined>;
  /** Build ids of the scope (or of one project), in `order`, a page at a time. */
  listBuildIds(scope: Scope, query: BuildListQuery): Promise<Page<string>>;
  /** Builds of every scope whose `buildComplete` is false (for recovery at start-up). */
  unfinishedBuilds(): Promise<BuildRecord[]>;

  /** Remembers a StartBuild idempotencyToken of the scope (replacing an expired use of it). */
  putBuildToken(scope: Scope, record: BuildTokenRecord): Promise<void>;
  /** The token's record, expired or not (callers compare `expires`); undefined when unknown. */
  findBuildToken(scope: Scope, token: string): Promise<BuildTokenRecord | undefined>;

  /**
   * Appends lines to a build's log. `lines[0].seq` must be one more than the last stored seq
   * (1 for the first line) and the seqs consecutive; anything else throws (a caller bug).
   */
  appendLog(scope: Scope, buildId: string, lines: readonly BuildLogLine[]): Promise<void>;
  /** Lines with seq > afterSeq, ascending, at most `limit`. */
  readLog(scope: Scope, buildId: string, afterSeq: number, limit: number): Promise<BuildLogLine[]>;

  /** Creates or replaces a report (keyed by scope and `document.arn`). */
  putReport(record: ReportRecord): Promise<void>;
  getReport(scope: Scope, arn: string): Promise<ReportRecord | undefined>;
}

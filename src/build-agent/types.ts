import type { Readable, Writable } from "node:stream";
import type { BuildStatus } from "../buildspec/build-phases.js";
import type { TestCase, TestReportSummary } from "../buildspec/report-types.js";
import type { SecretReference } from "../buildspec/types.js";
import type { PhaseRecord } from "../codebuild/documents.js";

/**
 * The build agent's seams: where a build's shell runs (an Executor) and where its secrets come
 * from (a SecretResolver). The runtime and the CLI pick the implementations; the agent only
 * sees these interfaces.
 */

/** A directory of the host made visible to the build, at `path` inside it. */
export interface Mount {
  readonly hostPath: string;
  /** Where the build sees it (the host path itself for host executors). */
  readonly path: string;
  readonly readOnly: boolean;
}

export interface SessionSpec {
  /** The shell program: `sh`, `bash` or a path (`/bin/sh`). Run as `<shell> [shellOptions] -c <script>`. */
  readonly shell: string;
  /**
   * Options placed before `-c` (`--norc --noprofile` for bash: Node's stdio are sockets, which
   * bash takes for an rshd connection and reads ~/.bashrc otherwise).
   */
  readonly shellOptions?: readonly string[];
  /** The bootstrap script given to `-c`; it reads further instructions from stdin. */
  readonly script: string;
  /** The environment of the shell process itself (the build's variables are set by the script). */
  readonly env: Readonly<Record<string, string>>;
  /** Working directory of the shell process, as the build sees it. */
  readonly workdir: string;
  /**
   * Host directories the build needs: the build's root (sources, its temporary files, its home)
   * read-write, and anything else the caller adds. Host executors run in place and use them
   * only to decide what the sandbox leaves writable.
   */
  readonly mounts: readonly Mount[];
  /** Container executors: the image (`environment.image`). */
  readonly image?: string;
  /** Container executors: give the build a Docker daemon (`privilegedMode`). */
  readonly privileged: boolean;
  /** A label for names of things the executor creates (container names): the build id. */
  readonly label: string;
  /** Container executors: directories put before the image's own PATH (host builds get PATH in the variables). */
  readonly pathPrefix?: readonly string[];
  /** Container executors: share the host's network, so the server on loopback is reachable. */
  readonly hostNetwork?: boolean;
}

/**
 * What the platform adds to a build so that its AWS calls reach Pipewright with credentials
 * issued for it (src/inside, docs/registry.md): platform-default variables (a buildspec may
 * replace them), host directories of shims put first on PATH (visible read-only at the same
 * path), and, for containers, the host's network (the server listens on loopback).
 */
export interface PlatformAccess {
  readonly variables: Readonly<Record<string, string>>;
  readonly pathDirs: readonly string[];
  readonly hostNetwork: boolean;
}

/**
 * A running shell. Contract:
 *  - `stdin` is the shell's standard input; `output` carries its stdout and stderr (the
 *    bootstrap merges them with `exec 2>&1`, so executors need only forward stdout, but must
 *    not drop stderr written before that).
 *  - `exited` resolves once the shell process is gone, with its exit code (null if killed by a
 *    signal). It never rejects.
 *  - `kill()` ends the shell and every process it started (background jobs included) and
 *    resolves when they are gone; calling it twice is harmless.
 */
export interface ShellSession {
  readonly stdin: Writable;
  readonly output: Readable;
  readonly exited: Promise<{ readonly code: number | null; readonly signal?: string }>;
  kill(): Promise<void>;
}

/**
 * Where a build's commands run. Contract:
 *  - `describe()` says what the executor is, for the build log (`Running on ...`).
 *  - `start(spec)` starts one shell session; it rejects (with a message fit for the build log)
 *    when the session cannot start: the image is missing, the engine is unreachable.
 *  - One executor may run many sessions at once (builds run concurrently).
 */
export interface Executor {
  readonly kind: "host" | "sandbox" | "container";
  describe(): string;
  /** Where the build sees a mounted host path (identity on the host). */
  pathInside(hostPath: string, mounts: readonly Mount[]): string;
  start(spec: SessionSpec): Promise<ShellSession>;
}

/**
 * Secrets a buildspec or project refers to (`parameter-store`, `secrets-manager`, variables of
 * type PARAMETER_STORE / SECRETS_MANAGER). Resolving fails with an Error whose message is
 * CodeBuild's text (e.g. `Parameter does not exist: /app/db` or `Secrets Manager Error:
 * ResourceNotFoundException: Secrets Manager can't find the specified secret.`); the agent puts
 * it in the DOWNLOAD_SOURCE phase context.
 */
export interface SecretResolver {
  /** The decrypted value of an SSM parameter (String, StringList or SecureString). */
  parameter(name: string): Promise<string>;
  /** The SecretString (or the `jsonKey` field of it) of a secret's version. */
  secret(reference: SecretReference): Promise<string>;
}

/** A resolver for builds that may not read secrets (fails every lookup with a clear message). */
export const noSecrets: SecretResolver = {
  parameter: async (name) => {
    throw new Error(`Parameter does not exist: ${name} (no parameter store is configured for this build)`);
  },
  secret: async () => {
    throw new Error(
      "Secrets Manager Error: ResourceNotFoundException: Secrets Manager can't find the specified secret. (no secret store is configured for this build)",
    );
  },
};

export type { PhaseRecord };

/** What the agent tells its caller while a build runs. Calls arrive in order, never concurrently. */
export interface BuildListener {
  /**
   * One complete, already masked log line; `origin` says whether the agent wrote it (its
   * `[Container]` lines and their continuation lines) or a command printed it.
   */
  log(line: string, origin: "agent" | "output"): void;
  /** The phase list changed: a phase started or ended. `phases` is the whole list so far. */
  phases(phases: readonly PhaseRecord[]): void;
}

/** Identity and platform facts of one build: the built-in variables come from these. */
export interface BuildIdentity {
  /** `<project>:<uuid>`. */
  readonly id: string;
  readonly arn: string;
  readonly number: number;
  readonly projectName: string;
  /** `codepipeline/<pipeline>`, a user name, `pipewright-cli`. */
  readonly initiator: string;
  readonly region: string;
  readonly accountId: string;
  /** Epoch milliseconds (CODEBUILD_START_TIME). */
  readonly startTime: number;
  /** CODEBUILD_BUILD_IMAGE: the project's image, also when the build runs on the host. */
  readonly image: string;
  readonly logPath: string;
  readonly buildUrl?: string;
  readonly kmsKeyId?: string;
}

/** What DOWNLOAD_SOURCE learned about the sources (the caller fetches them). */
export interface SourceInfo {
  readonly resolvedSourceVersion?: string;
  readonly sourceVersion?: string;
  readonly sourceRepoUrl?: string;
  /** Per secondary source identifier. */
  readonly secondary?: ReadonlyMap<string, { readonly sourceVersion?: string; readonly repoUrl?: string }>;
}

/** An artifact the build must produce, as a zip at `zipPath` on the host. */
export interface ArtifactOutput {
  /** Absent for the primary artifact; otherwise a `secondary-artifacts` identifier. */
  readonly identifier?: string;
  readonly zipPath: string;
}

export interface ProducedArtifact {
  readonly identifier?: string;
  readonly zipPath: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly md5: string;
  /** The buildspec's `name`, expanded (used by S3 artifacts with overrideArtifactName). */
  readonly name?: string;
}

export interface CollectedReport {
  /** The key under `reports:`. */
  readonly group: string;
  readonly fileFormat: string;
  readonly cases: readonly TestCase[];
  readonly truncated: boolean;
  readonly summary: TestReportSummary;
  /** FAILED when a case failed or errored, or a file could not be read; else SUCCEEDED. */
  readonly status: "SUCCEEDED" | "FAILED";
  readonly problems: readonly string[];
}

export interface AgentResult {
  readonly buildStatus: BuildStatus;
  readonly phases: readonly PhaseRecord[];
  readonly exportedVariables: readonly { readonly name: string; readonly value: string }[];
  readonly artifacts: readonly ProducedArtifact[];
  readonly reports: readonly CollectedReport[];
  readonly resolvedSourceVersion?: string;
  /** Masks secrets in text the caller shows elsewhere (API answers). */
  readonly mask: (text: string) => string;
}

/** Everything the agent needs to run one build. */
export interface AgentRequest {
  readonly build: BuildIdentity;
  /** Host directories (build-agent/layout.ts); the primary may be a directory used in place. */
  readonly root: string;
  readonly primarySourceDir?: string;
  readonly secondarySourceIds: readonly string[];
  /**
   * Fetches the sources into the layout's directories during DOWNLOAD_SOURCE (unzip input
   * artifacts, clone). Rejects with an Error whose message goes into the phase context
   * (status code CLIENT_ERROR).
   */
  readonly downloadSource: (dirs: {
    readonly primary: string;
    readonly secondary: ReadonlyMap<string, string>;
  }) => Promise<SourceInfo>;
  /** Inline text (project buildspec / buildspecOverride) or a path relative to the primary source. */
  readonly buildspec:
    | { readonly kind: "inline"; readonly text: string }
    | { readonly kind: "file"; readonly path: string };
  readonly projectVariables: readonly TypedVariableInput[];
  readonly overrideVariables: readonly TypedVariableInput[];
  readonly secrets: SecretResolver;
  readonly executor: Executor;
  /** A note for the log when the executor is not the one the user asked for (no sandbox, ...). */
  readonly executorNotice?: string;
  readonly privileged: boolean;
  /** The host environment the build starts from (PATH, ...) on host executors. */
  readonly baseEnv: Readonly<Record<string, string>>;
  /** AWS access from inside the build (credentials, endpoint, shims); absent: none is set up. */
  readonly platform?: PlatformAccess;
  readonly timeoutMs: number;
  /** Aborts the build (StopBuild): the running command is killed, the build ends STOPPED. */
  readonly signal: AbortSignal;
  readonly outputs: readonly ArtifactOutput[];
  /** The project's local cache directory; absent when the project has no cache. */
  readonly cacheDir?: string;
  readonly now: () => number;
  readonly listener: BuildListener;
}

/** A project or override variable (`EnvironmentVariable` of the API). */
export interface TypedVariableInput {
  readonly name: string;
  readonly value: string;
  readonly type: "PLAINTEXT" | "PARAMETER_STORE" | "SECRETS_MANAGER";
}

/** Runs builds (build-agent/run-build.ts); the runtime and the CLI hold one. */
export interface BuildAgent {
  run(request: AgentRequest): Promise<AgentResult>;
}

/** Which executor a build asks for: `auto` picks a container when the image is there, else the host. */
export type ExecutorPreference = "auto" | "host" | "sandbox" | "container";

export interface ExecutorChoice {
  readonly executor: Executor;
  /** Why this executor, when it is not the obvious one (shown in the build log). */
  readonly notice?: string;
}

/**
 * Picks the executor of a build. `auto`: a container when an engine is reachable and the image
 * exists there; otherwise the host, sandboxed by bubblewrap when it works. An explicit
 * preference that cannot be met rejects with a message for the build log.
 */
export interface ExecutorSelector {
  choose(image: string, preference: ExecutorPreference): Promise<ExecutorChoice>;
  /**
   * Ends what builds of a Pipewright process that died left running (host build shells, build
   * containers); call it at start-up, before any build of this process runs. Host shells are
   * ended when it resolves; leftover containers are removed in the background (finding the
   * engine is slow), and this selector's container builds wait for that. Returns how many host
   * processes it ended.
   */
  reapOrphans?(): Promise<number>;
}

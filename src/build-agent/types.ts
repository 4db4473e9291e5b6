import type { Readable, Writable } from "node:stream";
import type { SecretReference } from "../buildspec/types.js";

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
  /** The shell program: `sh`, `bash` or a path (`/bin/sh`). Run as `<shell> -c <script>`. */
  readonly shell: string;
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

import { spawn } from "node:child_process";

/**
 * The environment every git process here runs with, built from nothing but PATH: no inherited
 * GIT_* variable (a GIT_DIR from a calling hook, say) and no configuration of the machine's user
 * or system can change what git does. `/dev/null` as the global file and GIT_CONFIG_NOSYSTEM
 * shut out ~/.gitconfig, $XDG_CONFIG_HOME/git/config and /etc/gitconfig; HOME is a directory that
 * does not exist, so nothing can be read from or written to a real home; git never prompts.
 */
export function gitEnvironment(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
    HOME: "/nonexistent/pipewright-git-home",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_TERMINAL_PROMPT: "0",
    GIT_ASKPASS: "",
    // Stable, untranslated messages and byte-wise sorting.
    LANG: "C",
    LC_ALL: "C",
    ...extra,
  };
}

export interface RunGitOptions {
  /** The working directory; for a bare repository, pass `--git-dir` in the args instead. */
  readonly cwd?: string;
  /** Added to gitEnvironment() (author identity, GIT_INDEX_FILE, ...). */
  readonly env?: Readonly<Record<string, string>>;
  /** Written to git's standard input, which is then closed. */
  readonly input?: string | Uint8Array;
  /** Standard output beyond this many bytes fails the call (default 64 MiB). */
  readonly maxBuffer?: number;
  /** Exit codes that are answers rather than failures (`rev-parse --verify --quiet` exits 1). */
  readonly okExitCodes?: readonly number[];
}

export interface GitOutput {
  readonly stdout: Buffer;
  readonly exitCode: number;
}

/** A git process that could not start, was killed, wrote too much, or exited with a failure code. */
export class GitError extends Error {
  readonly args: readonly string[];
  readonly exitCode: number | null;
  readonly stderr: string;
  constructor(args: readonly string[], exitCode: number | null, stderr: string, options?: ErrorOptions) {
    const what = exitCode === null ? "did not run to the end" : `exited with ${exitCode}`;
    const detail = stderr.trim();
    super(`git ${args.join(" ")} ${what}${detail ? `: ${detail}` : ""}`, options);
    this.name = "GitError";
    this.args = args;
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}

const MAX_STDERR = 16 * 1024;

/**
 * Runs `git <args>` to completion and returns its standard output. Never through a shell: args
 * go to execve as they are, so no value can be read as shell syntax. Callers pass user-supplied
 * revisions after `--end-of-options` (or `--`) so that none can be read as an option either.
 * Rejects with GitError (git's stderr in the message) unless the exit code is 0 or listed in
 * `okExitCodes`.
 */
export function runGit(args: readonly string[], options: RunGitOptions = {}): Promise<GitOutput> {
  const maxBuffer = options.maxBuffer ?? 64 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, {
      cwd: options.cwd,
      env: gitEnvironment(options.env),
      stdio: ["pipe", "pipe", "pipe"],
    });
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = "";
    let failure: Error | undefined;
    child.stdout.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBuffer) {
        failure ??= new GitError(args, null, `standard output exceeded ${maxBuffer} bytes`);
        child.kill("SIGKILL");
        return;
      }
      chunks.push(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      if (stderr.length < MAX_STDERR) stderr += chunk.toString("utf8");
    });
    child.on("error", (error) => {
      failure ??= new GitError(args, null, error.message, { cause: error });
    });
    // git may exit before reading all its input (a failed command): that EPIPE is not the error.
    child.stdin.on("error", () => {});
    child.stdin.end(options.input ?? "");
    child.on("close", (code) => {
      if (failure) return reject(failure);
      if (code === 0 || (code !== null && options.okExitCodes?.includes(code))) {
        return resolve({ stdout: Buffer.concat(chunks), exitCode: code });
      }
      reject(new GitError(args, code, stderr));
    });
  });
}

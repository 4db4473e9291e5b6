import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export interface GitRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The real git client, isolated from the machine's configuration: a temp HOME, no system or
 * global config, no prompts, an identity passed with `-c`. `git(cwd, ...args)` never throws;
 * `ok(...)` does when git fails, with git's stderr.
 */
export function createGitCli(prefix = "pipewright-git-") {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const home = join(root, "home");
  mkdirSync(home);
  const env = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_TERMINAL_PROMPT: "0",
    GIT_ASKPASS: "/bin/false",
    LANG: "C",
    LC_ALL: "C",
  };
  const identity = [
    "-c",
    "user.name=Pipewright Tester",
    "-c",
    "user.email=tester@pipewright.test",
    "-c",
    "init.defaultBranch=main",
    "-c",
    "credential.helper=",
    "-c",
    "advice.detachedHead=false",
  ];

  function git(cwd: string, ...args: string[]): Promise<GitRun> {
    return gitWith({}, cwd, ...args);
  }

  /** As `git`, with extra environment variables (GIT_TRACE_PACKET, ...). */
  function gitWith(extraEnv: Record<string, string>, cwd: string, ...args: string[]): Promise<GitRun> {
    const options = { cwd, env: { ...env, ...extraEnv }, maxBuffer: 256 * 1024 * 1024 };
    return new Promise((resolve) => {
      execFile("git", [...identity, ...args], options, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout: stdout.toString(), stderr: stderr.toString() });
      });
    });
  }

  async function ok(cwd: string, ...args: string[]): Promise<string> {
    const run = await git(cwd, ...args);
    if (run.code !== 0) throw new Error(`git ${args.join(" ")} failed (${run.code}):\n${run.stderr}`);
    return run.stdout.trim();
  }

  return {
    root,
    env,
    git,
    gitWith,
    ok,
    /** A new directory under the client's root. */
    dir(name: string): string {
      const path = join(root, name);
      mkdirSync(path, { recursive: true });
      return path;
    },
    /** Writes files into a work tree, commits them all, and returns the commit id. */
    async commit(cwd: string, message: string, files: Record<string, string | Buffer>): Promise<string> {
      for (const [path, content] of Object.entries(files)) {
        mkdirSync(dirname(join(cwd, path)), { recursive: true });
        writeFileSync(join(cwd, path), content);
      }
      await ok(cwd, "add", "-A");
      await ok(cwd, "commit", "-q", "-m", message);
      return ok(cwd, "rev-parse", "HEAD");
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

export type GitCli = ReturnType<typeof createGitCli>;

/** `http://user:password@host:port/v1/repos/<name>`, each part percent-encoded as a URL needs. */
export function cloneUrl(
  endpoint: string,
  name: string,
  credentials?: { accessKeyId: string; secretAccessKey: string },
) {
  const url = new URL(`/v1/repos/${name}`, endpoint);
  if (credentials) {
    url.username = encodeURIComponent(credentials.accessKeyId);
    url.password = encodeURIComponent(credentials.secretAccessKey);
  }
  return url.toString();
}

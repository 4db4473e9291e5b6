import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * The real git client in a throwaway working copy, with an identity and a HOME of its own so the
 * machine's git configuration cannot change what a test sees.
 */
export function createGitWorkspace(prefix = "pw-git-") {
  const home = mkdtempSync(join(tmpdir(), `${prefix}home-`));
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const env = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_TERMINAL_PROMPT: "0",
    GIT_AUTHOR_NAME: "Pipewright Test",
    GIT_AUTHOR_EMAIL: "test@pipewright.local",
    GIT_COMMITTER_NAME: "Pipewright Test",
    GIT_COMMITTER_EMAIL: "test@pipewright.local",
  };
  async function git(...args: string[]): Promise<string> {
    const { stdout } = await run("git", args, { cwd: dir, env, maxBuffer: 64 * 1024 * 1024 });
    return stdout.trim();
  }
  return {
    dir,
    env,
    git,
    /** Writes files (creating directories), then commits them on the current branch; returns the commit id. */
    async commit(message: string, files: Record<string, string>): Promise<string> {
      for (const [path, content] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), content);
      }
      await git("add", "-A");
      await git("commit", "-q", "-m", message);
      return git("rev-parse", "HEAD");
    },
  };
}

export async function gitIn(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run("git", args, {
    cwd,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: cwd, GIT_CONFIG_NOSYSTEM: "1" },
  });
  return stdout.trim();
}

import { execFile } from "node:child_process";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The demo's sources in this installation: examples/demo/ (app/ and functions/). */
export const DEMO_SOURCES = fileURLToPath(new URL("../../../examples/demo/", import.meta.url));

/**
 * The user's working copy of the sample application: a git repository whose `origin` is the
 * hosted repository, changed and pushed as a developer would (git itself, over HTTP).
 */
export interface AppWorkingCopy {
  readonly dir: string;
  /** Commits everything with `message` and pushes main; resolves with the commit id. */
  commitAndPush(message: string): Promise<string>;
  /** Sets VERSION (v2, v3, ...). */
  setVersion(version: string): void;
  /** The v3 mistake: the site's page is written as index.htm, so GET / answers 404. */
  breakThePage(): void;
}

export async function createAppWorkingCopy(dir: string, cloneUrl: string): Promise<AppWorkingCopy> {
  cpSync(join(DEMO_SOURCES, "app"), dir, { recursive: true });
  const git = async (...args: string[]) =>
    (
      await run(
        "git",
        ["-c", "user.name=Pipewright Demo", "-c", "user.email=demo@pipewright.invalid", ...args],
        { cwd: dir, env: { ...process.env, GIT_TERMINAL_PROMPT: "0" } },
      )
    ).stdout.trim();
  await git("init", "-q", "-b", "main");
  await git("remote", "add", "origin", cloneUrl);
  return {
    dir,
    async commitAndPush(message) {
      await git("add", "-A");
      await git("commit", "-q", "-m", message);
      await git("push", "-q", "origin", "main");
      return git("rev-parse", "HEAD");
    },
    setVersion(version) {
      writeFileSync(join(dir, "VERSION"), `${version}\n`);
    },
    breakThePage() {
      const file = join(dir, "src", "build-site.mjs");
      writeFileSync(file, readFileSync(file, "utf8").replace('PAGE = "index.html"', 'PAGE = "index.htm"'));
    },
  };
}

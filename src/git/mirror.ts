import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { KeyedLock } from "../lib/keyed-lock.js";
import { listRefs } from "./refs.js";
import { runGit } from "./run-git.js";

/**
 * Only these transports may be fetched from: `ext::` (which runs a command) and other exotic
 * helpers are refused whatever a connection's repository root says.
 */
const SAFE_PROTOCOLS = [
  "-c",
  "protocol.allow=never",
  ...["file", "http", "https", "ssh", "git"].flatMap((p) => ["-c", `protocol.${p}.allow=always`]),
];

/**
 * Local mirrors of repositories outside Pipewright (behind connections): a bare `--mirror` clone
 * per URL under `root`, named by a hash of the URL (never by user text). `fetch` brings one up
 * to date and says which refs moved, which is how connection sources detect changes. Fetches of
 * one mirror are serialised.
 */
export function createMirrors(root: string) {
  const locks = new KeyedLock();
  const dirOf = (url: string) =>
    join(root, `${createHash("sha256").update(url).digest("hex").slice(0, 32)}.git`);

  return {
    dirOf,
    /**
     * Clones (first time) or fetches the repository at `url`. `before` is empty on the first
     * fetch. Throws GitError with git's message when the URL cannot be read.
     */
    fetch(url: string): Promise<{ dir: string; before: Map<string, string>; after: Map<string, string> }> {
      const dir = dirOf(url);
      return locks.run(dir, async () => {
        if (!existsSync(dir)) {
          mkdirSync(root, { recursive: true });
          const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
          try {
            await runGit([...SAFE_PROTOCOLS, "clone", "--quiet", "--mirror", "--end-of-options", url, tmp]);
            renameSync(tmp, dir);
          } finally {
            rmSync(tmp, { recursive: true, force: true });
          }
          return { dir, before: new Map(), after: await listRefs(dir) };
        }
        const before = await listRefs(dir);
        await runGit([
          ...SAFE_PROTOCOLS,
          "--git-dir",
          dir,
          "fetch",
          "--quiet",
          "--prune",
          "origin",
          "+refs/*:refs/*",
        ]);
        return { dir, before, after: await listRefs(dir) };
      });
    },
  };
}

export type Mirrors = ReturnType<typeof createMirrors>;

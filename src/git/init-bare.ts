import { runGit } from "./run-git.js";

/**
 * Settings written into every hosted repository's own config, so that the directory behaves the
 * same whether `git http-backend` or a person at a shell uses it:
 *  - http.receivepack: pushes over smart HTTP are allowed even without REMOTE_USER (the front
 *    end has already authenticated the pusher, or access is anonymous on loopback);
 *  - receive.denyNonFastForwards / denyDeletes false: force pushes and branch deletion are
 *    accepted, as CodeCommit accepts them;
 *  - core.logAllRefUpdates false: no reflogs, as in any bare repository (nothing reads them);
 *  - gc.autoDetach false: the `gc --auto` that receive-pack may start finishes before the push
 *    does, so no git process outlives the request (and races a repository's removal).
 */
const hostedRepositoryConfig: readonly (readonly [string, string])[] = [
  ["http.receivepack", "true"],
  ["receive.denyNonFastForwards", "false"],
  ["receive.denyDeletes", "false"],
  ["core.logAllRefUpdates", "false"],
  ["gc.autoDetach", "false"],
];

/**
 * Creates an empty bare repository at `gitDir` (which must not exist yet) with HEAD on
 * `refs/heads/<initialBranch>` and the hosted repository settings above.
 */
export async function initBare(gitDir: string, initialBranch = "main"): Promise<void> {
  await runGit(["init", "--bare", "--quiet", `--initial-branch=${initialBranch}`, "--", gitDir]);
  for (const [key, value] of hostedRepositoryConfig) {
    await runGit(["--git-dir", gitDir, "config", key, value]);
  }
}

import { runGit } from "./run-git.js";

/**
 * A full clone of `source` (a bare repository's path or a URL) into the empty directory `dir`,
 * with the working tree at `commit`: on `branch` when given (`git branch` shows it, as CodeBuild's
 * full clone does), detached otherwise. `originUrl` replaces the remote's URL, so the build sees
 * the repository's public clone URL rather than a path on this machine. Tags come along, so
 * `git describe` works.
 */
export async function cloneAt(
  source: string,
  dir: string,
  options: { commit: string; branch?: string; originUrl?: string },
): Promise<void> {
  await runGit(["clone", "--quiet", "--no-checkout", "--end-of-options", source, dir]);
  // `checkout` takes `--end-of-options` as the start of pathspecs, so check the values instead.
  if (!/^[0-9a-f]{4,64}$/.test(options.commit)) throw new Error(`not a commit id: ${options.commit}`);
  const branch = options.branch;
  if (branch !== undefined && (branch.startsWith("-") || !/^[^\s~^:?*[\\]+$/.test(branch))) {
    throw new Error(`not a branch name: ${branch}`);
  }
  if (branch) {
    await runGit(["checkout", "--quiet", "-B", branch, options.commit], { cwd: dir });
  } else {
    await runGit(["checkout", "--quiet", "--detach", options.commit], { cwd: dir });
  }
  if (options.originUrl) await runGit(["remote", "set-url", "origin", options.originUrl], { cwd: dir });
}

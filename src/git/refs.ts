import { runGit } from "./run-git.js";

/**
 * Every ref of the repository at `gitDir` (full names, `refs/heads/main`) with the object it
 * resolves to: annotated tags peeled to what they tag (a commit, usually), everything else the
 * object it names. HEAD is not listed: it is a symbolic ref to a branch. In ref name byte order.
 */
export async function listRefs(gitDir: string): Promise<Map<string, string>> {
  const { stdout } = await runGit([
    "--git-dir",
    gitDir,
    "for-each-ref",
    "--format=%(refname)%00%(objectname)%00%(*objectname)%00%(*objecttype)",
  ]);
  const refs = new Map<string, string>();
  const nested: string[] = [];
  for (const line of stdout.toString("utf8").split("\n")) {
    if (line === "") continue;
    const [name, object, peeled, peeledType] = line.split("\0");
    if (!name || !object) throw new Error(`git for-each-ref: unexpected line '${line}' in ${gitDir}`);
    refs.set(name, peeled || object);
    // `*` peels one level; a tag of a tag needs git to follow the chain to its end.
    if (peeledType === "tag") nested.push(name);
  }
  for (const name of nested) {
    const { stdout: resolved } = await runGit([
      "--git-dir",
      gitDir,
      "rev-parse",
      "--end-of-options",
      `${name}^{}`,
    ]);
    refs.set(name, resolved.toString("utf8").trim());
  }
  return refs;
}

/** Points HEAD at `refs/heads/<branch>` (what a clone checks out). */
export async function setHead(gitDir: string, branch: string): Promise<void> {
  await runGit(["--git-dir", gitDir, "symbolic-ref", "HEAD", `refs/heads/${branch}`]);
}

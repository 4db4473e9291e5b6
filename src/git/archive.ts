import { spawn } from "node:child_process";
import { GitError, gitEnvironment } from "./run-git.js";

const OBJECT_ID = /^[0-9a-f]{40}([0-9a-f]{24})?$/u;

/**
 * A zip of the tree of `commit` (a full id), streamed from `git archive`'s standard output as
 * it is produced: nothing is buffered beyond the pipe. The iterable throws a GitError (git's
 * stderr in the message) when git fails, after the bytes it produced. Stopping early (`break`,
 * `return()`) kills git.
 */
export async function* archiveZip(gitDir: string, commit: string): AsyncGenerator<Uint8Array> {
  if (!OBJECT_ID.test(commit)) throw new Error(`archive: '${commit}' is not a full object id`);
  const args = ["--git-dir", gitDir, "archive", "--format=zip", commit];
  const child = spawn("git", args, { env: gitEnvironment(), stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    if (stderr.length < 16 * 1024) stderr += chunk.toString("utf8");
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve(code));
  });
  let finished = false;
  try {
    for await (const chunk of child.stdout) yield chunk as Buffer;
    const code = await exited;
    finished = true;
    if (code !== 0) throw new GitError(args, code, stderr);
  } finally {
    if (!finished && child.exitCode === null) child.kill("SIGKILL");
    // Swallow the rejection a killed or failed spawn leaves behind; the error was reported above.
    exited.catch(() => {});
  }
}

/**
 * The exit codes of `pipewright`'s commands (docs/cli.md), for scripts: distinct causes get
 * distinct codes, so `pipewright status app || case $? in 1) ... 4) ... esac` can tell a failed
 * pipeline from a server that is down.
 */
export const ExitCode = {
  /** Done; for `status`, the latest execution did not fail. */
  ok: 0,
  /** The operation ran and failed: a build FAILED, a pipeline execution Failed or Stopped, the server refused the request. */
  failed: 1,
  /** Bad options or arguments. */
  usage: 2,
  /** The pipeline, stage, action, execution or build does not exist. */
  notFound: 3,
  /** No answer from the endpoint (not running, wrong --endpoint-url). */
  unreachable: 4,
  /** The server refused the credentials (signature, unknown key, no permission). */
  denied: 5,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Bad options or arguments: the message says which and how to fix it (exit code 2). */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

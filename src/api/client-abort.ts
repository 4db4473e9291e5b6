/**
 * Whether an error only says that the client went away before its request body ended (node's
 * `aborted`, a stream closed early). That is the client's doing: front ends answer it as a bad
 * request and do not log it as their own failure.
 */
export function isClientAbort(error: unknown): boolean {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return code === "ECONNRESET" || code === "ERR_STREAM_PREMATURE_CLOSE";
}

import { type ChildProcessByStdio, spawn } from "node:child_process";
import { Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { findCgiHeaderEnd, parseCgiHead } from "./cgi-response.js";
import { GitError, gitEnvironment } from "./run-git.js";

/** The only requests the bridge passes on: git's smart HTTP protocol, nothing of the dumb one. */
export const SMART_HTTP_PATHS = ["/info/refs", "/git-upload-pack", "/git-receive-pack"] as const;

export interface HttpBackendRequest {
  /** The bare repository; http-backend is given it as GIT_PROJECT_ROOT, so it can reach no other. */
  readonly gitDir: string;
  readonly method: string;
  /** One of SMART_HTTP_PATHS; anything else throws before git runs. */
  readonly pathInfo: string;
  /** The raw query string without `?` (`service=git-receive-pack`). */
  readonly query: string;
  readonly contentType?: string;
  /** `gzip` when the client compressed the request body (git does for large fetch requests). */
  readonly contentEncoding?: string;
  /** The `Git-Protocol` header (`version=2`); dropped unless it looks like one. */
  readonly gitProtocol?: string;
  readonly remoteUser?: string;
  readonly remoteAddr?: string;
  readonly body?: AsyncIterable<Uint8Array>;
}

export interface BackendExit {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** What git wrote to stderr (first 16 KiB), for the log. */
  readonly stderr: string;
}

export interface HttpBackendResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /**
   * The CGI body, streamed from git's stdout. Read it to the end (or stop early: git is then
   * killed); until then git waits on the pipe.
   */
  readonly body: AsyncIterable<Uint8Array>;
  /** Settles once git exited: after the body ended, was abandoned, or the request body failed. */
  readonly exited: Promise<BackendExit>;
}

const MAX_HEAD_BYTES = 64 * 1024;
const MAX_STDERR = 16 * 1024;
type Backend = ChildProcessByStdio<Writable, Readable, Readable>;

/**
 * Serves one request with `git http-backend` as a CGI program (git-http-backend(1)). The request
 * body streams into git's stdin while its stdout streams out: a 1 GB push holds a pipe's worth of
 * memory. Resolves once git has written its CGI header block; rejects (GitError, with git's
 * stderr) when git exits without one. git runs with gitEnvironment(): the machine's git
 * configuration, hooks aside, cannot change what it does.
 */
export async function runHttpBackend(request: HttpBackendRequest): Promise<HttpBackendResponse> {
  if (!(SMART_HTTP_PATHS as readonly string[]).includes(request.pathInfo)) {
    throw new Error(`http-backend: '${request.pathInfo}' is not a smart HTTP path`);
  }
  const child: Backend = spawn("git", ["http-backend"], {
    env: gitEnvironment(cgiVariables(request)),
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    if (stderr.length < MAX_STDERR) stderr += chunk.toString("utf8");
  });
  const exited = new Promise<BackendExit>((resolve) => {
    child.once("error", (error) => {
      stderr += error.message;
    });
    child.once("close", (exitCode, signal) => resolve({ exitCode, signal, stderr }));
  });
  feedStdin(child, request.body);

  const stdout = child.stdout[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let head: Buffer;
  let rest: Buffer;
  try {
    ({ head, rest } = await readHead(stdout));
  } catch (error) {
    child.kill("SIGKILL");
    const exit = await exited;
    throw new GitError(["http-backend"], exit.exitCode, exit.stderr || String(error), { cause: error });
  }
  const { status, headers } = parseCgiHead(head.toString("latin1"));
  return { status, headers, body: streamBody(child, stdout, rest), exited };
}

/** The CGI meta-variables git http-backend reads (RFC 3875 §4.1, git-http-backend(1)). */
function cgiVariables(request: HttpBackendRequest): Record<string, string> {
  const variables: Record<string, string> = {
    GIT_PROJECT_ROOT: request.gitDir,
    GIT_HTTP_EXPORT_ALL: "1",
    PATH_INFO: request.pathInfo,
    REQUEST_METHOD: request.method,
    QUERY_STRING: request.query,
  };
  if (request.contentType) variables.CONTENT_TYPE = request.contentType;
  if (request.contentEncoding) variables.HTTP_CONTENT_ENCODING = request.contentEncoding;
  if (request.gitProtocol && /^[A-Za-z0-9=:._-]{1,256}$/u.test(request.gitProtocol)) {
    variables.GIT_PROTOCOL = request.gitProtocol;
  }
  if (request.remoteUser) variables.REMOTE_USER = request.remoteUser;
  if (request.remoteAddr) variables.REMOTE_ADDR = request.remoteAddr;
  return variables;
}

/**
 * Streams the request body into git's stdin, concurrently with the caller reading stdout (git
 * may answer before it has read everything). A body that fails (the client went away) kills git:
 * a half-received pack must not be taken for a whole one. git exiting early (an error it reports
 * in its answer) ends the copy quietly.
 */
function feedStdin(child: Backend, body: AsyncIterable<Uint8Array> | undefined): void {
  child.stdin.on("error", () => {
    // EPIPE when git stopped reading; the exit status and its answer say why.
  });
  if (!body) {
    child.stdin.end();
    return;
  }
  pipeline(Readable.from(body, { objectMode: false }), child.stdin).catch(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
}

async function readHead(stdout: AsyncIterator<Buffer>): Promise<{ head: Buffer; rest: Buffer }> {
  let buffered = Buffer.alloc(0);
  for (;;) {
    const next = await stdout.next();
    if (next.done) throw new Error("git http-backend ended without a CGI header block");
    buffered = Buffer.concat([buffered, next.value]);
    const end = findCgiHeaderEnd(buffered);
    if (end >= 0) return { head: buffered.subarray(0, end), rest: buffered.subarray(end) };
    if (buffered.length > MAX_HEAD_BYTES) throw new Error("git http-backend's CGI header block is too long");
  }
}

async function* streamBody(
  child: Backend,
  stdout: AsyncIterator<Buffer>,
  first: Buffer,
): AsyncGenerator<Uint8Array> {
  let ended = false;
  try {
    if (first.length > 0) yield first;
    for (;;) {
      const next = await stdout.next();
      if (next.done) break;
      yield next.value;
    }
    ended = true;
  } finally {
    if (!ended) {
      // The consumer stopped reading (the client went away): git must not wait on a full pipe.
      child.kill("SIGKILL");
      await stdout.return?.();
    }
  }
}

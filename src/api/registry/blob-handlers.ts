import { problem } from "../../registry/errors.js";
import { isDigest, isRepositoryName } from "../../registry/names.js";
import type { Scope } from "../../store/types.js";
import type { RegistryDeps } from "./deps.js";
import { digestProblem } from "./registry-target.js";
import { API_VERSION_HEADER, emptyAnswer, RegistryError } from "./responses.js";

/** One request to a handler: the store's scope, the parsed query, the body as a stream. */
export interface RegistryCall {
  readonly deps: RegistryDeps;
  readonly request: Request;
  readonly scope: Scope;
  readonly query: URLSearchParams;
}

const body = (request: Request) => (request.body ?? []) as unknown as AsyncIterable<Uint8Array>;
const blobLocation = (name: string, digest: string) => `/v2/${name}/blobs/${digest}`;
const uploadLocation = (name: string, id: string) => `/v2/${name}/blobs/uploads/${id}`;

function rangeHeader(size: number): string {
  return size === 0 ? "0-0" : `0-${size - 1}`;
}

async function repositoryMustExist(call: RegistryCall, name: string): Promise<void> {
  if (!(await call.deps.store.getRepository(call.scope, name))) throw nameUnknown(call, name);
}

export function nameUnknown(call: RegistryCall, name: string): RegistryError {
  return new RegistryError(
    problem(
      "NAME_UNKNOWN",
      `The repository with name '${name}' does not exist in the registry with id '${call.scope.accountId}'`,
      { name },
    ),
  );
}

/** GET and HEAD /v2/<name>/blobs/<digest>, with single byte ranges for GET. */
export async function getBlob(call: RegistryCall, name: string, digest: string): Promise<Response> {
  const stat = await call.deps.store.statBlob(call.scope, name, digest);
  if (!stat) {
    await repositoryMustExist(call, name);
    throw new RegistryError(problem("BLOB_UNKNOWN", "blob unknown to registry", { digest }));
  }
  const headers: Record<string, string> = {
    ...API_VERSION_HEADER,
    "content-type": "application/octet-stream",
    "docker-content-digest": digest,
    etag: `"${digest}"`,
    "accept-ranges": "bytes",
    "cache-control": "max-age=31536000",
  };
  if (call.request.method === "HEAD") {
    return new Response(null, { status: 200, headers: { ...headers, "content-length": String(stat.size) } });
  }
  const range = parseRange(call.request.headers.get("range"), stat.size);
  if (range === "invalid") {
    return new Response(null, {
      status: 416,
      headers: { ...headers, "content-range": `bytes */${stat.size}` },
    });
  }
  const stream = await call.deps.store.readBlob(call.scope, name, digest, range ?? undefined);
  if (!stream) throw new RegistryError(problem("BLOB_UNKNOWN", "blob unknown to registry", { digest }));
  const readable = ReadableStream.from(stream);
  if (!range)
    return new Response(readable, {
      status: 200,
      headers: { ...headers, "content-length": String(stat.size) },
    });
  return new Response(readable, {
    status: 206,
    headers: {
      ...headers,
      "content-length": String(range.end - range.start + 1),
      "content-range": `bytes ${range.start}-${range.end}/${stat.size}`,
    },
  });
}

/** `bytes=a-b` (one range); undefined for no Range header. */
function parseRange(
  header: string | null,
  size: number,
): { start: number; end: number } | "invalid" | undefined {
  if (header === null) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/u.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return "invalid";
  const start = m[1] === "" ? Math.max(0, size - Number(m[2])) : Number(m[1]);
  const end = m[1] === "" || m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  return start > end || start >= size ? "invalid" : { start, end };
}

export async function deleteBlob(call: RegistryCall, name: string, digest: string): Promise<Response> {
  if (!(await call.deps.store.unlinkBlob(call.scope, name, digest))) {
    await repositoryMustExist(call, name);
    throw new RegistryError(problem("BLOB_UNKNOWN", "blob unknown to registry", { digest }));
  }
  return emptyAnswer(202);
}

/**
 * POST /v2/<name>/blobs/uploads/: a cross-repository mount (`mount` and `from`), a monolithic
 * upload (`digest`, the blob is the body), or the start of a chunked upload.
 */
export async function startUpload(call: RegistryCall, name: string): Promise<Response> {
  const { store } = call.deps;
  const mount = call.query.get("mount");
  const from = call.query.get("from");
  if (mount !== null && from !== null && isDigest(mount) && isRepositoryName(from)) {
    const mounted = await store.mountBlob(call.scope, name, mount, from, call.deps.now());
    if (mounted) {
      return emptyAnswer(201, { location: blobLocation(name, mount), "docker-content-digest": mount });
    }
  }
  const uploadId = call.deps.newUploadId();
  const started = await store.startUpload(call.scope, name, uploadId, call.deps.now());
  if (!started.ok) throw nameUnknown(call, name);
  const digest = call.query.get("digest");
  if (digest !== null) return finish(call, name, uploadId, digest, true);
  return emptyAnswer(202, {
    location: uploadLocation(name, uploadId),
    range: "0-0",
    "docker-upload-uuid": uploadId,
  });
}

async function uploadOf(call: RegistryCall, name: string, uploadId: string) {
  const upload = await call.deps.store.getUpload(uploadId);
  const same =
    upload?.repositoryName === name &&
    upload.scope.accountId === call.scope.accountId &&
    upload.scope.region === call.scope.region;
  if (!upload || !same) {
    throw new RegistryError(problem("BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry", { uploadId }));
  }
  return upload;
}

/** GET /v2/<name>/blobs/uploads/<id>: how much has arrived. */
export async function uploadStatus(call: RegistryCall, name: string, uploadId: string): Promise<Response> {
  const upload = await uploadOf(call, name, uploadId);
  return emptyAnswer(204, {
    location: uploadLocation(name, uploadId),
    range: rangeHeader(upload.size),
    "docker-upload-uuid": uploadId,
  });
}

/** PATCH: one chunk (streamed, or the whole blob); `Content-Range` must start where the upload ends. */
export async function appendChunk(call: RegistryCall, name: string, uploadId: string): Promise<Response> {
  await uploadOf(call, name, uploadId);
  const contentRange = call.request.headers.get("content-range");
  let start: number | undefined;
  if (contentRange !== null) {
    const m = /^(?:bytes )?(\d+)-(\d+)$/u.exec(contentRange.trim());
    if (!m) throw new RegistryError(problem("RANGE_INVALID", `invalid Content-Range '${contentRange}'`));
    start = Number(m[1]);
  }
  const appended = await call.deps.store.appendUpload(uploadId, body(call.request), {
    ...(start === undefined ? {} : { start }),
    now: call.deps.now(),
  });
  if (!appended.ok && appended.reason === "RangeMismatch") {
    throw new RegistryError(
      problem("RANGE_INVALID", `the chunk must start at byte ${appended.size}`, undefined, 416),
    );
  }
  if (!appended.ok)
    throw new RegistryError(problem("BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry"));
  return emptyAnswer(202, {
    location: uploadLocation(name, uploadId),
    range: rangeHeader(appended.size),
    "docker-upload-uuid": uploadId,
  });
}

/** PUT ?digest=: the last chunk (may be empty) and the digest the whole must have. */
export async function completeUpload(call: RegistryCall, name: string, uploadId: string): Promise<Response> {
  await uploadOf(call, name, uploadId);
  const digest = call.query.get("digest");
  if (digest === null)
    throw new RegistryError(problem("DIGEST_INVALID", "the digest query parameter is required"));
  return finish(call, name, uploadId, digest, true);
}

async function finish(
  call: RegistryCall,
  name: string,
  uploadId: string,
  digest: string,
  withBody: boolean,
): Promise<Response> {
  const { store } = call.deps;
  if (!isDigest(digest)) {
    await store.cancelUpload(uploadId);
    throw new RegistryError(digestProblem(digest));
  }
  const done = await store.completeUpload(
    uploadId,
    digest,
    withBody ? body(call.request) : undefined,
    call.deps.now(),
  );
  if (!done.ok && done.reason === "DigestMismatch") {
    throw new RegistryError(
      problem("DIGEST_INVALID", `provided digest did not match uploaded content (it is ${done.actual})`, {
        digest,
      }),
    );
  }
  if (!done.ok) throw new RegistryError(problem("BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry"));
  return emptyAnswer(201, { location: blobLocation(name, digest), "docker-content-digest": digest });
}

export async function cancelUpload(call: RegistryCall, name: string, uploadId: string): Promise<Response> {
  await uploadOf(call, name, uploadId);
  await call.deps.store.cancelUpload(uploadId);
  return emptyAnswer(204);
}

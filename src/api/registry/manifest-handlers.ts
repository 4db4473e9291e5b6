import { createHash } from "node:crypto";
import { problem } from "../../registry/errors.js";
import { MAX_MANIFEST_BYTES, parseManifest } from "../../registry/parse-manifest.js";
import type { ImageReference } from "../../store/registry-store-types.js";
import { nameUnknown, type RegistryCall } from "./blob-handlers.js";
import { API_VERSION_HEADER, emptyAnswer, jsonAnswer, RegistryError } from "./responses.js";

export const sha256Digest = (bytes: Uint8Array) =>
  `sha256:${createHash("sha256").update(bytes).digest("hex")}`;

function manifestUnknown(reference: ImageReference): RegistryError {
  return new RegistryError(
    problem(
      "MANIFEST_UNKNOWN",
      "manifest unknown",
      "digest" in reference ? { digest: reference.digest } : { tag: reference.tag },
    ),
  );
}

/** GET and HEAD /v2/<name>/manifests/<tag or digest>. */
export async function getManifest(
  call: RegistryCall,
  name: string,
  reference: ImageReference,
): Promise<Response> {
  const manifest = await call.deps.store.getManifest(call.scope, name, reference);
  if (!manifest) {
    if (!(await call.deps.store.getRepository(call.scope, name))) throw nameUnknown(call, name);
    throw manifestUnknown(reference);
  }
  const headers = {
    ...API_VERSION_HEADER,
    "content-type": manifest.mediaType,
    "content-length": String(manifest.body.byteLength),
    "docker-content-digest": manifest.digest,
    etag: `"${manifest.digest}"`,
  };
  return new Response(call.request.method === "HEAD" ? null : manifest.body, { status: 200, headers });
}

/**
 * PUT /v2/<name>/manifests/<reference>: parsed and checked (size, JSON, media type, digests),
 * its digest computed over the exact bytes sent; then stored with its tag in one transaction.
 * A tag push is told to `onImagePushed` before the answer goes out.
 */
export async function putManifest(
  call: RegistryCall,
  name: string,
  reference: ImageReference,
): Promise<Response> {
  const bytes = await readLimited(call.request, MAX_MANIFEST_BYTES);
  const parsed = parseManifest(bytes, call.request.headers.get("content-type") ?? "");
  if (!parsed.ok) throw new RegistryError(parsed.error);
  const digest = sha256Digest(bytes);
  if ("digest" in reference && reference.digest !== digest) {
    throw new RegistryError(
      problem("DIGEST_INVALID", `the manifest's digest is ${digest}, not ${reference.digest}`, {
        digest: reference.digest,
      }),
    );
  }
  const tag = "tag" in reference ? reference.tag : undefined;
  const stored = await call.deps.store.putManifest({
    scope: call.scope,
    repositoryName: name,
    digest,
    mediaType: parsed.value.mediaType,
    ...(parsed.value.artifactMediaType === undefined
      ? {}
      : { artifactMediaType: parsed.value.artifactMediaType }),
    body: bytes,
    blobs: parsed.value.blobs,
    manifests: parsed.value.manifests,
    ...(tag === undefined ? {} : { tag }),
    now: call.deps.now(),
  });
  if (!stored.ok) {
    switch (stored.reason) {
      case "RepositoryNotFound":
        throw nameUnknown(call, name);
      case "BlobsUnknown":
        throw new RegistryError(
          problem("MANIFEST_BLOB_UNKNOWN", `blob unknown to registry: ${stored.digests[0]}`, {
            digest: stored.digests[0],
            missing: stored.digests,
          }),
        );
      case "ManifestsUnknown":
        throw new RegistryError(
          problem(
            "MANIFEST_UNKNOWN",
            `the index names manifests this repository does not have: ${stored.digests.join(", ")}`,
            {
              missing: stored.digests,
            },
          ),
        );
      case "TagImmutable":
        throw new RegistryError(
          problem(
            "TAG_INVALID",
            `The image tag '${tag}' already exists in the '${name}' repository and cannot be overwritten because the repository is immutable.`,
            { tag },
          ),
        );
    }
  }
  if (tag !== undefined) {
    try {
      await call.deps.onImagePushed({
        scope: call.scope,
        repositoryName: name,
        tag,
        digest,
        mediaType: parsed.value.mediaType,
      });
    } catch (error) {
      call.deps.logger.error("image push hook failed", {
        repository: name,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
    }
  }
  return emptyAnswer(201, { location: `/v2/${name}/manifests/${digest}`, "docker-content-digest": digest });
}

/** DELETE by digest removes the image (and its tags); by tag only the tag, as OCI 1.1 allows. */
export async function deleteManifest(
  call: RegistryCall,
  name: string,
  reference: ImageReference,
): Promise<Response> {
  const { store } = call.deps;
  if (!(await store.getRepository(call.scope, name))) throw nameUnknown(call, name);
  if ("tag" in reference) {
    if (!(await store.removeTag(call.scope, name, reference.tag))) throw manifestUnknown(reference);
    return emptyAnswer(202);
  }
  const deleted = await store.deleteImage(call.scope, name, reference.digest);
  if (deleted === "NotFound") throw manifestUnknown(reference);
  if (deleted === "ReferencedByIndex") {
    throw new RegistryError(
      problem(
        "DENIED",
        "the manifest is named by an index (manifest list) in this repository; delete that first",
        {
          digest: reference.digest,
        },
      ),
    );
  }
  return emptyAnswer(202);
}

/** GET /v2/<name>/tags/list?n=&last= with a Link header to the next page. */
export async function listTags(call: RegistryCall, name: string): Promise<Response> {
  if (!(await call.deps.store.getRepository(call.scope, name))) throw nameUnknown(call, name);
  const limit = pageSize(call.query.get("n"));
  const last = call.query.get("last") ?? undefined;
  const page = await call.deps.store.listTags(call.scope, name, { limit, ...(last ? { after: last } : {}) });
  const link: Record<string, string> = page.nextAfter
    ? { link: `</v2/${name}/tags/list?n=${limit}&last=${encodeURIComponent(page.nextAfter)}>; rel="next"` }
    : {};
  return jsonAnswer({ name, tags: page.items }, 200, link);
}

/** GET /v2/_catalog: the repositories of the registry's scope. */
export async function listCatalog(call: RegistryCall): Promise<Response> {
  const limit = pageSize(call.query.get("n"));
  const last = call.query.get("last") ?? undefined;
  const page = await call.deps.store.listRepositories(call.scope, {
    limit,
    ...(last ? { after: last } : {}),
  });
  const link: Record<string, string> = page.nextAfter
    ? { link: `</v2/_catalog?n=${limit}&last=${encodeURIComponent(page.nextAfter)}>; rel="next"` }
    : {};
  return jsonAnswer({ repositories: page.items.map((r) => r.name) }, 200, link);
}

function pageSize(n: string | null): number {
  if (n === null || n === "") return 1000;
  const value = Number(n);
  if (!Number.isInteger(value) || value < 0 || value > 10_000) {
    throw new RegistryError(
      problem("PAGINATION_NUMBER_INVALID", "n must be an integer from 0 to 10000", { n }),
    );
  }
  return Math.max(value, 1);
}

async function readLimited(request: Request, limit: number): Promise<Uint8Array> {
  const tooBig = () =>
    new RegistryError(problem("MANIFEST_INVALID", `manifest is larger than ${limit} bytes`, undefined, 413));
  if (Number(request.headers.get("content-length") ?? "0") > limit) throw tooBig();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of (request.body ?? []) as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > limit) throw tooBig();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

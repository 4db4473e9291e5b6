import { err, ok, type Result } from "../lib/result.js";
import { problem, type RegistryProblem } from "./errors.js";
import { isIndexType, type ManifestMediaType, MediaType, manifestMediaTypes } from "./media-types.js";
import { isDigest } from "./names.js";

/** ECR's limit on a manifest (PutImage's imageManifest, and what the registry accepts). */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/** What the registry must check of a manifest before storing it. */
export interface ParsedManifest {
  readonly mediaType: ManifestMediaType;
  /** The config's media type (ECR's artifactMediaType); absent for an index. */
  readonly artifactMediaType?: string;
  /** Config and layer digests that must be in the repository (foreign layers with urls are not). */
  readonly blobs: readonly string[];
  /** Manifests an index names. */
  readonly manifests: readonly string[];
}

interface Descriptor {
  readonly mediaType?: unknown;
  readonly digest?: unknown;
  readonly size?: unknown;
  readonly urls?: unknown;
}

/**
 * Reads a Docker v2 schema 2 manifest or manifest list, or an OCI image manifest or index.
 * `contentType` is the request's Content-Type (parameters ignored; empty when absent); the body's
 * `mediaType`, when present, must agree with it. Everything else is MANIFEST_INVALID (or
 * DIGEST_INVALID for a descriptor whose digest is not a sha256 digest), with the reason.
 */
export function parseManifest(
  body: Uint8Array,
  contentType: string,
): Result<ParsedManifest, RegistryProblem> {
  if (body.byteLength > MAX_MANIFEST_BYTES)
    return err(
      problem("MANIFEST_INVALID", `manifest is larger than ${MAX_MANIFEST_BYTES} bytes`, undefined, 413),
    );
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
  } catch (cause) {
    return err(problem("MANIFEST_INVALID", `manifest is not valid JSON: ${(cause as Error).message}`));
  }
  if (typeof json !== "object" || json === null || Array.isArray(json))
    return err(problem("MANIFEST_INVALID", "manifest must be a JSON object"));
  const doc = json as Record<string, unknown>;
  if (doc.schemaVersion !== 2) {
    return err(
      problem(
        "MANIFEST_INVALID",
        "only schemaVersion 2 manifests are accepted (Docker schema 1 is not supported)",
      ),
    );
  }
  const declared = typeof doc.mediaType === "string" ? doc.mediaType : undefined;
  const header = contentType.split(";")[0]!.trim().toLowerCase();
  const fromHeader = manifestMediaTypes.find((t) => t === header);
  if (declared !== undefined && fromHeader !== undefined && declared !== fromHeader) {
    return err(
      problem("MANIFEST_INVALID", `the manifest says mediaType ${declared} but was sent as ${header}`),
    );
  }
  const mediaType =
    manifestMediaTypes.find((t) => t === (declared ?? fromHeader)) ??
    (declared === undefined && fromHeader === undefined ? guess(doc) : undefined);
  if (!mediaType) {
    return err(
      problem("MANIFEST_INVALID", `unsupported manifest media type '${declared ?? header}'`, {
        accepted: manifestMediaTypes,
      }),
    );
  }
  return isIndexType(mediaType) ? readIndex(doc, mediaType) : readImage(doc, mediaType);
}

/** An OCI manifest may leave out mediaType: `manifests` makes it an index, `config` an image. */
function guess(doc: Record<string, unknown>): ManifestMediaType | undefined {
  if (Array.isArray(doc.manifests)) return MediaType.OciIndex;
  if (typeof doc.config === "object" && doc.config !== null) return MediaType.OciManifest;
  return undefined;
}

function readImage(
  doc: Record<string, unknown>,
  mediaType: ManifestMediaType,
): Result<ParsedManifest, RegistryProblem> {
  const config = descriptor(doc.config, "config");
  if (!config.ok) return config;
  if (!Array.isArray(doc.layers)) return err(problem("MANIFEST_INVALID", "layers must be a list"));
  const blobs = [config.value.digest];
  for (const [i, raw] of doc.layers.entries()) {
    const layer = descriptor(raw, `layers[${i}]`);
    if (!layer.ok) return layer;
    // Foreign (non-distributable) layers live elsewhere; their urls say where.
    if (!(Array.isArray((raw as Descriptor).urls) && ((raw as Descriptor).urls as unknown[]).length > 0))
      blobs.push(layer.value.digest);
  }
  return ok({ mediaType, artifactMediaType: config.value.mediaType, blobs, manifests: [] });
}

function readIndex(
  doc: Record<string, unknown>,
  mediaType: ManifestMediaType,
): Result<ParsedManifest, RegistryProblem> {
  if (!Array.isArray(doc.manifests)) return err(problem("MANIFEST_INVALID", "manifests must be a list"));
  const manifests: string[] = [];
  for (const [i, raw] of doc.manifests.entries()) {
    const child = descriptor(raw, `manifests[${i}]`);
    if (!child.ok) return child;
    manifests.push(child.value.digest);
  }
  return ok({ mediaType, blobs: [], manifests });
}

function descriptor(
  raw: unknown,
  where: string,
): Result<{ digest: string; mediaType: string }, RegistryProblem> {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    return err(problem("MANIFEST_INVALID", `${where} must be a descriptor object`));
  const d = raw as Descriptor;
  if (typeof d.mediaType !== "string" || d.mediaType === "")
    return err(problem("MANIFEST_INVALID", `${where}.mediaType must be a string`));
  if (typeof d.size !== "number" || !Number.isSafeInteger(d.size) || d.size < 0)
    return err(problem("MANIFEST_INVALID", `${where}.size must be a non-negative integer`));
  if (typeof d.digest !== "string" || !isDigest(d.digest))
    return err(problem("DIGEST_INVALID", `${where}.digest must be a sha256 digest`, { digest: d.digest }));
  return ok({ digest: d.digest, mediaType: d.mediaType });
}

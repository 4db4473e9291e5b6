import { createHash } from "node:crypto";

/**
 * A small OCI distribution client over fetch, for tests that need exact control of the wire
 * (chunk boundaries, bad digests, crashes mid-upload). Docker's own flows are tested with the
 * real docker CLI (registry-docker.test.ts).
 */
export const sha256 = (bytes: Uint8Array) => `sha256:${createHash("sha256").update(bytes).digest("hex")}`;

export interface OciErrorBody {
  errors: { code: string; message: string; detail: unknown }[];
}

export function createOciClient(endpoint: string, authorization?: string) {
  const headers = (extra: Record<string, string> = {}) => ({
    ...(authorization ? { authorization } : {}),
    ...extra,
  });
  const url = (path: string) => (path.startsWith("http") ? path : `${endpoint}${path}`);
  const request = (
    method: string,
    path: string,
    init: { body?: RequestInit["body"]; headers?: Record<string, string>; duplex?: "half" } = {},
  ) =>
    fetch(url(path), {
      method,
      headers: headers(init.headers),
      ...(init.body === undefined ? {} : { body: init.body }),
      ...(init.duplex ? { duplex: init.duplex } : {}),
    } as RequestInit);

  return {
    request,
    /** POST then PUT ?digest= with the whole blob (Docker's small-blob path); the PUT's response. */
    async pushBlob(name: string, bytes: Uint8Array): Promise<Response> {
      const started = await request("POST", `/v2/${name}/blobs/uploads/`);
      if (started.status !== 202) return started;
      const location = started.headers.get("location")!;
      return request("PUT", `${location}?digest=${sha256(bytes)}`, {
        body: bytes,
        headers: { "content-type": "application/octet-stream" },
      });
    },
    async pushManifest(
      name: string,
      reference: string,
      manifest: unknown,
      mediaType: string,
    ): Promise<Response> {
      return request("PUT", `/v2/${name}/manifests/${reference}`, {
        body: typeof manifest === "string" ? manifest : JSON.stringify(manifest),
        headers: { "content-type": mediaType },
      });
    },
  };
}

export async function errorCode(response: Response): Promise<string> {
  const body = (await response.json()) as OciErrorBody;
  return body.errors[0]?.code ?? "";
}

/** An image manifest (OCI) naming a config and layers of the given bytes. */
export function imageManifest(config: Uint8Array, layers: readonly Uint8Array[]) {
  return {
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: {
      mediaType: "application/vnd.oci.image.config.v1+json",
      digest: sha256(config),
      size: config.length,
    },
    layers: layers.map((l) => ({
      mediaType: "application/vnd.oci.image.layer.v1.tar",
      digest: sha256(l),
      size: l.length,
    })),
  };
}

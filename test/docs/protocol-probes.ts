import type { Answer } from "./probe.js";

/**
 * The endpoints of the OCI distribution specification (v1.1, "Endpoints" table, end-1..end-13)
 * plus Docker's `_catalog` and upload cancel, as "METHOD path" with the spec's placeholders.
 * The `?digest=` and `?mount=` forms of end-4b and end-11 are the same POST as end-4a.
 */
export const REGISTRY_ENDPOINTS = [
  "GET /v2/",
  "GET /v2/<name>/blobs/<digest>",
  "HEAD /v2/<name>/blobs/<digest>",
  "DELETE /v2/<name>/blobs/<digest>",
  "POST /v2/<name>/blobs/uploads/",
  "GET /v2/<name>/blobs/uploads/<reference>",
  "PATCH /v2/<name>/blobs/uploads/<reference>",
  "PUT /v2/<name>/blobs/uploads/<reference>",
  "DELETE /v2/<name>/blobs/uploads/<reference>",
  "GET /v2/<name>/manifests/<reference>",
  "HEAD /v2/<name>/manifests/<reference>",
  "PUT /v2/<name>/manifests/<reference>",
  "DELETE /v2/<name>/manifests/<reference>",
  "GET /v2/<name>/tags/list",
  "GET /v2/<name>/referrers/<digest>",
  "GET /v2/_catalog",
] as const;

/** git's HTTP transport (gitprotocol-http): the smart protocol's four requests and the dumb protocol's. */
export const GIT_ENDPOINTS = [
  "GET /v1/repos/<name>/info/refs?service=git-upload-pack",
  "GET /v1/repos/<name>/info/refs?service=git-receive-pack",
  "POST /v1/repos/<name>/git-upload-pack",
  "POST /v1/repos/<name>/git-receive-pack",
  "GET /v1/repos/<name>/info/refs",
  "GET /v1/repos/<name>/HEAD",
  "GET /v1/repos/<name>/objects/info/packs",
] as const;

const DIGEST = `sha256:${"0".repeat(64)}`;
const UPLOAD_ID = "0".repeat(32);

function fill(endpoint: string, name: string): { method: string; path: string } {
  const [method, template] = endpoint.split(" ", 2) as [string, string];
  const isUpload = template.includes("/blobs/uploads/");
  const path = template
    .replace("<name>", name)
    .replace("<digest>", DIGEST)
    .replace("<reference>", isUpload ? UPLOAD_ID : "latest");
  return { method, path };
}

/** Sends every registry endpoint for a repository that need not exist: UNSUPPORTED means not served. */
export async function probeRegistry(endpoint: string): Promise<Map<string, Answer>> {
  const answers = new Map<string, Answer>();
  for (const e of REGISTRY_ENDPOINTS) {
    const { method, path } = fill(e, "pw-ref-probe");
    const response = await fetch(`${endpoint}${path}`, { method });
    const text = method === "HEAD" ? "" : await response.text();
    const unsupported =
      /"code"\s*:\s*"UNSUPPORTED"/u.test(text) || (method === "HEAD" && response.status === 405);
    answers.set(e, unsupported ? "unsupported" : "implemented");
  }
  return answers;
}

/**
 * Sends every git HTTP request to an existing repository: a 404 or 405 means the path is not
 * served (the repository exists, so a served path answers otherwise).
 */
export async function probeGit(endpoint: string, repository: string): Promise<Map<string, Answer>> {
  const answers = new Map<string, Answer>();
  for (const e of GIT_ENDPOINTS) {
    const { method, path } = fill(e, repository);
    const service = /git-(upload|receive)-pack$/u.exec(path)?.[0];
    const response = await fetch(`${endpoint}${path}`, {
      method,
      headers: service ? { "content-type": `application/x-${service}-request` } : {},
      ...(method === "POST" ? { body: "0000" } : {}),
    });
    await response.arrayBuffer();
    answers.set(e, response.status === 404 || response.status === 405 ? "unsupported" : "implemented");
  }
  return answers;
}

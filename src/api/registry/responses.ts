import { type RegistryProblem, registryErrorStatus } from "../../registry/errors.js";

/** Every answer of the registry carries this (Docker checks it on `/v2/`). */
export const API_VERSION_HEADER = { "docker-distribution-api-version": "registry/2.0" };

/** The OCI error document: `{"errors": [{"code", "message", "detail"}]}`. */
export function problemResponse(p: RegistryProblem, headers: Record<string, string> = {}): Response {
  const body = JSON.stringify({ errors: [{ code: p.code, message: p.message, detail: p.detail ?? null }] });
  return new Response(body, {
    status: p.status ?? registryErrorStatus[p.code],
    headers: { "content-type": "application/json; charset=utf-8", ...API_VERSION_HEADER, ...headers },
  });
}

export function jsonAnswer(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...API_VERSION_HEADER, ...headers },
  });
}

export function emptyAnswer(status: number, headers: Record<string, string> = {}): Response {
  return new Response(null, {
    status,
    headers: { "content-length": "0", ...API_VERSION_HEADER, ...headers },
  });
}

/** Thrown by handlers for an expected failure; the front end answers with it. */
export class RegistryError extends Error {
  constructor(readonly problem: RegistryProblem) {
    super(problem.message);
  }
}

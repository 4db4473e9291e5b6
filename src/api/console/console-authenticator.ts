import type { Authenticator } from "../app.js";
import { apiError } from "../errors.js";
import { type ConsoleSessions, cookieValue, SESSION_COOKIE, sameSecret } from "./sessions.js";

export const CSRF_HEADER = "x-pipewright-csrf";
export const REGION_HEADER = "x-pipewright-region";
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/u;

/**
 * The JSON API's authenticator, extended for the web console (which cannot SigV4-sign: it never
 * holds a secret). A SigV4-signed request goes to `inner` as before. An unsigned request that
 * carries the console's session cookie is accepted when its `X-Pipewright-Csrf` header matches
 * the session's token (a cross-site page can send the cookie, never the header), and then
 * `X-Pipewright-Region` picks the region, as the credential scope does for signed requests.
 * Without configured credentials (loopback only) the region header is honoured on any request.
 */
export function createConsoleAuthenticator(
  inner: Authenticator,
  sessions: ConsoleSessions,
  credentialsConfigured: boolean,
): Authenticator {
  return {
    authenticate(request, url, body, nowMs) {
      const region = request.headers.get(REGION_HEADER) ?? undefined;
      if (region !== undefined && !REGION.test(region)) {
        return {
          ok: false,
          error: apiError(
            "ValidationException",
            `X-Pipewright-Region '${region.slice(0, 40)}' is not a region name; use one like us-east-1`,
          ),
        };
      }
      const signed = request.headers.has("authorization") || url.searchParams.has("X-Amz-Credential");
      const token = cookieValue(request.headers.get("cookie"), SESSION_COOKIE);
      if (signed || token === undefined) {
        const result = inner.authenticate(request, url, body, nowMs);
        if (!result.ok || credentialsConfigured || region === undefined) return result;
        return { ...result, region };
      }
      const session = sessions.find(token);
      if (!session) {
        if (!credentialsConfigured) return inner.authenticate(request, url, body, nowMs);
        return {
          ok: false,
          error: apiError(
            "UnrecognizedClientException",
            "The console session has expired or was signed out; sign in again",
          ),
        };
      }
      const csrf = request.headers.get(CSRF_HEADER);
      if (csrf === null || !sameSecret(csrf, session.csrfToken)) {
        return {
          ok: false,
          error: apiError(
            "InvalidSignatureException",
            "A console request needs the X-Pipewright-Csrf header of its session (cross-site requests are refused)",
          ),
        };
      }
      return { ok: true, principal: session.accessKeyId, ...(region === undefined ? {} : { region }) };
    },
  };
}

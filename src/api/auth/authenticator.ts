import type { ExceptionType } from "../../model/exceptions.js";
import type { Authenticator } from "../app.js";
import { apiError } from "../errors.js";
import { parseAuthorization, verifySigV4 } from "./sigv4.js";

/**
 * With credentials: every request must be SigV4-signed by one of them. Without: any signature
 * (or none) is accepted — main/ only allows that on loopback — and the region still comes from
 * the credential scope.
 */
export function createAuthenticator(
  credentials: readonly { accessKeyId: string; secretAccessKey: string }[],
  /** Temporary keys issued to code Pipewright runs (builds): their secret while they are live. */
  temporarySecret: (accessKeyId: string) => string | undefined = () => undefined,
): Authenticator {
  const secrets = new Map(credentials.map((c) => [c.accessKeyId, c.secretAccessKey]));
  return {
    authenticate(request, url, body, nowMs) {
      if (secrets.size === 0) {
        const auth = parseAuthorization(request.headers.get("authorization") ?? "");
        return {
          ok: true,
          principal: auth?.accessKeyId ?? "anonymous",
          ...(auth ? { region: auth.region, service: auth.service } : {}),
        };
      }
      const result = verifySigV4(
        {
          method: request.method,
          rawPath: url.pathname,
          rawQuery: url.search.slice(1),
          headers: request.headers,
          body,
        },
        (id) => secrets.get(id) ?? temporarySecret(id),
        nowMs,
      );
      if (!result.ok) return { ok: false, error: apiError(result.type as ExceptionType, result.message) };
      return { ok: true, principal: result.accessKeyId, region: result.region, service: result.service };
    },
  };
}

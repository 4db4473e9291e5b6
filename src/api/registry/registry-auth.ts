import { problem } from "../../registry/errors.js";
import { authenticateBasic } from "../git/basic-auth.js";
import type { RegistryDeps } from "./deps.js";
import { problemResponse } from "./responses.js";

/**
 * Who may use the registry. No credentials configured: anyone (the server then listens only on
 * loopback, main/config.ts), and whatever a client sends is ignored, as the JSON API ignores
 * signatures then. Credentials configured: HTTP Basic with user `AWS` and a password from
 * GetAuthorizationToken that is genuine and unexpired, or a configured access key id and its
 * secret. Anything else is 401 with a Basic challenge, which Docker answers by sending the
 * credentials `docker login` stored.
 */
export function authorizeRegistry(
  request: Request,
  url: URL,
  deps: RegistryDeps,
): { ok: true; principal: string } | { ok: false; response: Response } {
  if (deps.credentials.length === 0) return { ok: true, principal: "anonymous" };
  const header = request.headers.get("authorization");
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/iu.exec(header ?? "");
  let reason = "authentication required";
  if (basic) {
    const decoded = Buffer.from(basic[1]!, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    const user = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    if (user === "AWS") {
      const verified = deps.tokens.verify(password, deps.now());
      if ("principal" in verified) return { ok: true, principal: verified.principal };
      reason =
        verified.refused === "expired"
          ? "the authorization token has expired; run aws ecr get-login-password again"
          : "the password is not an authorization token of this server";
    } else {
      const principal = authenticateBasic(header, deps.credentials);
      if (principal !== undefined) return { ok: true, principal };
      reason = "unknown access key id or wrong secret access key";
    }
  }
  return {
    ok: false,
    response: problemResponse(problem("UNAUTHORIZED", reason), {
      "www-authenticate": `Basic realm="${url.origin}",service="ecr.amazonaws.com"`,
    }),
  };
}

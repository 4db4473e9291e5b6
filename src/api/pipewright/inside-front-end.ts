import type { RouteFrontEnd } from "../app.js";

/** A live session's credentials, found by the authorization token the code was given. */
export interface InsideEndpointDeps {
  /** The container credentials document (AccessKeyId, SecretAccessKey, Token, Expiration), or undefined. */
  readonly credentials: (authorizationToken: string) => Record<string, string> | undefined;
  /** A registry password for the session (what `aws ecr get-login-password` would print), or undefined. */
  readonly loginPassword: (authorizationToken: string) => string | undefined;
}

/**
 * `GET /_pipewright/inside/credentials`: the container credentials endpoint that
 * AWS_CONTAINER_CREDENTIALS_FULL_URI names (ECS and CodeBuild serve the same document), and
 * `GET /_pipewright/inside/ecr-login-password` for images without an AWS CLI. Both need the
 * session's token in `Authorization` (AWS_CONTAINER_AUTHORIZATION_TOKEN); anything else is 401.
 */
export function createInsideFrontEnd(deps: InsideEndpointDeps): RouteFrontEnd {
  return {
    name: "inside",
    pathPrefix: "/_pipewright/inside/",
    async handle(request, url) {
      if (request.method !== "GET") return text(405, "use GET\n");
      const token = request.headers.get("authorization") ?? "";
      if (url.pathname === "/_pipewright/inside/credentials") {
        const document = token ? deps.credentials(token) : undefined;
        if (!document) return text(401, "unknown or expired authorization token\n");
        return new Response(JSON.stringify(document), {
          status: 200,
          headers: { "content-type": "application/json" },
        });
      }
      if (url.pathname === "/_pipewright/inside/ecr-login-password") {
        const password = token ? deps.loginPassword(token) : undefined;
        if (!password) return text(401, "unknown or expired authorization token\n");
        return text(200, password);
      }
      return text(404, `no inside endpoint at ${url.pathname}\n`);
    },
  };
}

function text(status: number, body: string): Response {
  return new Response(body, { status, headers: { "content-type": "text/plain; charset=utf-8" } });
}

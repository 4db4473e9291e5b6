import { createInsideFrontEnd } from "../api/pipewright/inside-front-end.js";
import type { AuthorizationTokens } from "../api/registry/authorization-token.js";
import type { PlatformAccess } from "../build-agent/types.js";
import {
  credentialsDocument,
  type InsideCredentials,
  insideEnvironment,
  writeShims,
} from "../inside/index.js";
import type { BuildInsideAccess } from "../runtime/builds/ports.js";
import type { TaskInsideAccess } from "../runtime/ecs/task-access.js";
import type { Scope } from "../store/types.js";

/** How long an ECS task's session lives at most (tasks run until stopped; SDKs refresh earlier). */
const TASK_SESSION_MS = 7 * 24 * 3600_000;

/**
 * Wires inside access (src/inside) for builds: each build gets its own session, its variables
 * and the shim directory, and the container credentials endpoint serves the sessions. The same
 * pieces will serve ECS tasks and Lambda functions; only `open`'s subject kind changes.
 */
export function wireInside(o: {
  sessions: InsideCredentials;
  tokens: AuthorizationTokens;
  /** Where the shims are written (inside the data directory). */
  shimDir: string;
  /** The server's URL, as it listens. */
  publicEndpoint: () => string;
  registryHost: () => string;
}) {
  let written: string | undefined;
  const shims = () => {
    written ??= writeShims(o.shimDir);
    return written;
  };
  const builds: BuildInsideAccess = {
    open(scope, buildId, lifetimeMs) {
      const session = o.sessions.open({ kind: "build", id: buildId, scope }, lifetimeMs);
      const dir = shims();
      const endpoint = loopbackEndpoint(o.publicEndpoint());
      const platform: PlatformAccess = {
        variables: insideEnvironment({
          endpoint,
          registryHost: o.registryHost(),
          authorizationToken: session.authorizationToken,
          shimDir: dir,
        }),
        pathDirs: [dir],
        // Containers reach the server on the host's loopback: botocore takes only loopback full URIs.
        hostNetwork: true,
      };
      return { platform, close: session.close };
    },
  };
  // ECS tasks: the builds' session and variables, from the same shims (host processes see them
  // directly; Docker tasks of networkMode "host" get the directory mounted).
  const tasks = {
    open(scope: Scope, taskArn: string, bridgeEndpoint?: string): TaskInsideAccess {
      const session = o.sessions.open({ kind: "task", id: taskArn, scope }, TASK_SESSION_MS);
      const dir = shims();
      const variables = insideEnvironment({
        endpoint: bridgeEndpoint ?? loopbackEndpoint(o.publicEndpoint()),
        registryHost: o.registryHost(),
        authorizationToken: session.authorizationToken,
        shimDir: dir,
      });
      if (bridgeEndpoint) {
        // botocore and SDK v3 refuse an http credentials URI that is not loopback.
        delete variables.AWS_CONTAINER_CREDENTIALS_FULL_URI;
        delete variables.AWS_CONTAINER_AUTHORIZATION_TOKEN;
        Object.assign(variables, {
          AWS_ACCESS_KEY_ID: session.accessKeyId,
          AWS_SECRET_ACCESS_KEY: session.secretAccessKey,
          AWS_SESSION_TOKEN: session.sessionToken,
        });
      }
      return { variables, pathDirs: [dir], close: session.close };
    },
  };
  const frontEnd = createInsideFrontEnd({
    credentials(token) {
      const session = o.sessions.byAuthorizationToken(token);
      return session && credentialsDocument(session);
    },
    loginPassword(token) {
      const session = o.sessions.byAuthorizationToken(token);
      return (
        session &&
        o.tokens.issue(session.accessKeyId, Math.min(session.expiration, Date.now() + 12 * 3600_000))
      );
    },
  });
  return { builds, tasks, frontEnd };
}

/** A server listening on every address is reached on 127.0.0.1 from inside. */
function loopbackEndpoint(endpoint: string): string {
  const url = new URL(endpoint);
  if (url.hostname === "0.0.0.0" || url.hostname === "[::]" || url.hostname === "::")
    url.hostname = "127.0.0.1";
  return url.origin;
}

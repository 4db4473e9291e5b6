import type { RouteFrontEnd } from "../app.js";

export interface NotifyDeps {
  /** Fetches the repository behind the connection now and starts what its new commits trigger. */
  readonly notify: (
    connectionArn: string,
    fullRepositoryId: string,
  ) => Promise<{ pipelineName: string; executionId: string }[]>;
  readonly logger: { error(message: string, fields?: Record<string, unknown>): void };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

/**
 * `POST /_pipewright/sources/notify` with `{"connectionArn": "...", "fullRepositoryId": "org/repo"}`:
 * a repository outside Pipewright (behind a connection) says it changed, e.g. from a
 * post-receive hook, so pipelines start without waiting for the poller. It needs no signature:
 * it carries no data Pipewright trusts (Pipewright fetches the repository itself and decides),
 * so the worst a caller can do is make it look early. Answers the executions it started.
 */
export function createNotifyFrontEnd(deps: NotifyDeps): RouteFrontEnd {
  return {
    name: "pipewright-notify",
    pathPrefix: "/_pipewright/sources/",
    async handle(request, url) {
      if (url.pathname !== "/_pipewright/sources/notify")
        return json(404, { message: `No such endpoint ${url.pathname}` });
      if (request.method !== "POST") return json(405, { message: "Use POST" });
      let body: { connectionArn?: unknown; fullRepositoryId?: unknown };
      try {
        body = (await request.json()) as typeof body;
      } catch {
        return json(400, {
          message: 'The body must be JSON: {"connectionArn": "...", "fullRepositoryId": "owner/repo"}',
        });
      }
      if (
        typeof body !== "object" ||
        body === null ||
        typeof body.connectionArn !== "string" ||
        typeof body.fullRepositoryId !== "string"
      ) {
        return json(400, { message: "connectionArn and fullRepositoryId must both be strings" });
      }
      try {
        return json(200, { started: await deps.notify(body.connectionArn, body.fullRepositoryId) });
      } catch (error) {
        deps.logger.error("source notify failed", {
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        });
        return json(500, {
          message: "Pipewright could not look at the repository; the cause is in the server log",
        });
      }
    },
  };
}

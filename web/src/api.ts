/**
 * The console talks to Pipewright's own HTTP APIs only: the AWS JSON 1.1 operations (POST / with
 * X-Amz-Target, exactly what the aws CLI sends, minus the signature) and /_pipewright/ endpoints.
 * The session cookie is HttpOnly (this script never sees it); the CSRF token is kept in memory.
 */
export interface Session {
  loginRequired: boolean;
  signedIn: boolean;
  principal?: string;
  csrfToken?: string;
  defaultRegion: string;
  version: string;
}

let csrfToken: string | undefined;

export class ApiFailure extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** The session the server put in the page (`<meta name="pipewright-session">`), if it did. */
export function pageSession(): Session | undefined {
  const content = document.querySelector('meta[name="pipewright-session"]')?.getAttribute("content");
  if (!content) return undefined;
  try {
    const session = JSON.parse(content) as Session;
    csrfToken = session.csrfToken;
    return session;
  } catch {
    return undefined;
  }
}

export async function getSession(): Promise<Session> {
  const session = (await (await fetch("/_pipewright/console/session")).json()) as Session;
  csrfToken = session.csrfToken;
  return session;
}

export async function login(accessKeyId: string, secretAccessKey: string): Promise<void> {
  const response = await fetch("/_pipewright/console/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ accessKeyId, secretAccessKey }),
  });
  const body = (await response.json()) as { message?: string; csrfToken?: string };
  if (!response.ok)
    throw new ApiFailure("LoginFailed", body.message ?? `HTTP ${response.status}`, response.status);
  csrfToken = body.csrfToken;
}

export async function logout(): Promise<void> {
  await fetch("/_pipewright/console/logout", { method: "POST" });
  csrfToken = undefined;
}

export async function regions(): Promise<string[]> {
  const response = await fetch("/_pipewright/console/regions");
  if (!response.ok)
    throw new ApiFailure("Regions", `Listing regions failed: HTTP ${response.status}`, response.status);
  return ((await response.json()) as { regions: string[] }).regions;
}

/** A GET of the console's own read API (`/_pipewright/console/<path>`), as JSON. */
export async function consoleRead(path: string): Promise<Json> {
  const response = await fetch(`/_pipewright/console/${path}`);
  const body = (await response.json().catch(() => ({}))) as Json;
  if (!response.ok)
    throw new ApiFailure("Console", `${path}: ${body.message ?? `HTTP ${response.status}`}`, response.status);
  return body;
}

const PREFIX = {
  codepipeline: "CodePipeline_20150709",
  codebuild: "CodeBuild_20161006",
  codecommit: "CodeCommit_20150413",
  ecr: "AmazonEC2ContainerRegistry_V20150921",
  ecs: "AmazonEC2ContainerServiceV20141113",
} as const;

// biome-ignore lint/suspicious/noExplicitAny: AWS JSON shapes are read field by field where used.
export type Json = any;

export async function call(
  service: keyof typeof PREFIX,
  operation: string,
  region: string,
  input: Record<string, unknown>,
): Promise<Json> {
  const headers: Record<string, string> = {
    "content-type": "application/x-amz-json-1.1",
    "x-amz-target": `${PREFIX[service]}.${operation}`,
    "x-pipewright-region": region,
  };
  if (csrfToken) headers["x-pipewright-csrf"] = csrfToken;
  const response = await fetch("/", { method: "POST", headers, body: JSON.stringify(input) });
  const body = (await response.json().catch(() => ({}))) as Json;
  if (!response.ok) {
    const type = String(body.__type ?? "Error").replace(/^.*#/u, "");
    throw new ApiFailure(
      type,
      `${type}: ${body.message ?? body.Message ?? `HTTP ${response.status}`}`,
      response.status,
    );
  }
  return body;
}

export const pipeline = (operation: string, region: string, input: Record<string, unknown>) =>
  call("codepipeline", operation, region, input);

/**
 * A GET of AWS Lambda's REST API (`/2015-03-31/functions...`), unsigned like every console call:
 * the session cookie and X-Pipewright-Csrf authenticate it, X-Pipewright-Region names the region.
 */
export async function lambda(path: string, region: string): Promise<Json> {
  const headers: Record<string, string> = { "x-pipewright-region": region };
  if (csrfToken) headers["x-pipewright-csrf"] = csrfToken;
  const response = await fetch(`/2015-03-31/functions${path}`, { headers });
  const body = (await response.json().catch(() => ({}))) as Json;
  if (!response.ok) {
    const type = response.headers.get("x-amzn-errortype") ?? "Error";
    throw new ApiFailure(type, `${type}: ${body.message ?? `HTTP ${response.status}`}`, response.status);
  }
  return body;
}

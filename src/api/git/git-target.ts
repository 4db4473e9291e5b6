import { isValidRepositoryName } from "../codecommit/repository-name.js";

/** AWS CodeCommit's path shape: `https://git-codecommit.<region>.amazonaws.com/v1/repos/<name>`. */
export const GIT_PATH_PREFIX = "/v1/repos/";

export type GitService = "git-upload-pack" | "git-receive-pack";

/** A smart HTTP request this front end serves, read from the raw request target. */
export interface GitTarget {
  readonly ok: true;
  readonly repositoryName: string;
  readonly pathInfo: "/info/refs" | "/git-upload-pack" | "/git-receive-pack";
  /** The method the path takes: GET for the ref advertisement, POST for the services. */
  readonly method: "GET" | "POST";
  /** The query for http-backend, rebuilt from the one parameter it needs (`service=...`). */
  readonly query: string;
  readonly service: GitService;
}

export interface GitTargetRefusal {
  readonly ok: false;
  readonly status: 400 | 404;
  readonly message: string;
}

const SUFFIXES = ["/info/refs", "/git-upload-pack", "/git-receive-pack"] as const;
const SERVICES: readonly string[] = ["git-upload-pack", "git-receive-pack"];

/**
 * Reads `/v1/repos/<name>/<smart HTTP path>[?query]` from the request target exactly as the
 * client sent it (the WHATWG URL the app sees has already resolved `..` and `%2e%2e`). Only git's
 * smart protocol is served: `info/refs?service=git-upload-pack|git-receive-pack`,
 * `git-upload-pack` and `git-receive-pack`; dumb-protocol paths (`HEAD`, `objects/...`), extra
 * segments and encoded slashes are 404. The name is percent-decoded exactly once and must be a
 * valid CodeCommit name (so never `.`, `..` or anything with a slash), else 400; a `.git`
 * suffix is accepted and dropped, as CodeCommit names never end in `.git`.
 */
export function parseGitTarget(rawTarget: string): GitTarget | GitTargetRefusal {
  let target = rawTarget;
  // Absolute-form targets (`GET http://host/path`) are legal HTTP; keep only the path.
  if (!target.startsWith("/")) target = target.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?]*/iu, "") || "/";
  const question = target.indexOf("?");
  const path = question < 0 ? target : target.slice(0, question);
  const rawQuery = question < 0 ? "" : target.slice(question + 1);
  if (!path.startsWith(GIT_PATH_PREFIX)) return notFound();
  const rest = path.slice(GIT_PATH_PREFIX.length);
  const slash = rest.indexOf("/");
  const suffix = SUFFIXES.find((s) => slash >= 0 && rest.slice(slash) === s);
  if (!suffix) return notFound();

  let name: string;
  try {
    name = decodeURIComponent(rest.slice(0, slash));
  } catch {
    return { ok: false, status: 400, message: "malformed percent-encoding in the repository name\n" };
  }
  if (name.endsWith(".git")) name = name.slice(0, -4);
  if (!isValidRepositoryName(name)) return { ok: false, status: 400, message: "invalid repository name\n" };

  if (suffix !== "/info/refs") {
    return {
      ok: true,
      repositoryName: name,
      pathInfo: suffix,
      method: "POST",
      query: "",
      service: suffix.slice(1) as GitService,
    };
  }
  const service = serviceParameter(rawQuery);
  if (service === undefined) {
    return {
      ok: false,
      status: 404,
      message: "only git's smart HTTP protocol is served (info/refs needs ?service=)\n",
    };
  }
  return {
    ok: true,
    repositoryName: name,
    pathInfo: suffix,
    method: "GET",
    query: `service=${service}`,
    service,
  };
}

function serviceParameter(rawQuery: string): GitService | undefined {
  for (const pair of rawQuery.split("&")) {
    const [key, value] = pair.split("=");
    if (key === "service" && value !== undefined && SERVICES.includes(value)) return value as GitService;
  }
  return undefined;
}

function notFound(): GitTargetRefusal {
  return {
    ok: false,
    status: 404,
    message: "not found: git is served at /v1/repos/<name> (smart HTTP only)\n",
  };
}

import { problem, type RegistryProblem } from "../../registry/errors.js";
import { isDigest, isRepositoryName, isTag, looksLikeDigest } from "../../registry/names.js";

/** The /v2/ path prefix the registry answers under (docs/registry.md: why no bucket can be named `v2`). */
export const REGISTRY_PATH_PREFIX = "/v2/";

/** One request of the OCI distribution API, its name and reference already checked. */
export type RegistryRoute =
  | { readonly kind: "base" }
  | { readonly kind: "catalog" }
  | { readonly kind: "tags"; readonly name: string }
  | {
      readonly kind: "manifest";
      readonly name: string;
      readonly reference: { digest: string } | { tag: string };
    }
  | { readonly kind: "blob"; readonly name: string; readonly digest: string }
  | { readonly kind: "uploads"; readonly name: string }
  | { readonly kind: "upload"; readonly name: string; readonly uploadId: string };

/**
 * Reads a /v2/ path as the client sent it (the raw target: `..` segments are not removed first).
 * Repository names may hold `/`, so the route is found from the end: `/blobs/uploads/[id]`,
 * `/blobs/<digest>`, `/manifests/<reference>`, `/tags/list`. Percent escapes are not decoded:
 * nothing valid in a name, tag or digest needs one.
 */
export function parseRegistryPath(
  path: string,
): { ok: true; route: RegistryRoute } | { ok: false; problem: RegistryProblem } {
  if (path === "/v2" || path === "/v2/") return { ok: true, route: { kind: "base" } };
  if (path === "/v2/_catalog") return { ok: true, route: { kind: "catalog" } };
  const rest = path.slice(REGISTRY_PATH_PREFIX.length);
  const match =
    /^(.+)\/(blobs\/uploads)\/?([^/]*)$/u.exec(rest) ??
    /^(.+)\/(blobs|manifests)\/([^/]+)$/u.exec(rest) ??
    /^(.+)\/(tags)\/list$/u.exec(rest);
  if (!match) return fail(problem("UNSUPPORTED", `no registry API answers ${path}`, undefined, 404));
  const [, name = "", what, last = ""] = match;
  if (!isRepositoryName(name)) {
    return fail(
      problem(
        "NAME_INVALID",
        `invalid repository name '${name.slice(0, 300)}': lower case letters, digits and single [._-] between them, parts separated by /`,
        {
          name: name.slice(0, 300),
        },
      ),
    );
  }
  switch (what) {
    case "tags":
      return { ok: true, route: { kind: "tags", name } };
    case "blobs/uploads":
      if (last === "") return { ok: true, route: { kind: "uploads", name } };
      if (!/^[0-9a-f]{32}$/u.test(last))
        return fail(
          problem("BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry", { uploadId: last.slice(0, 100) }),
        );
      return { ok: true, route: { kind: "upload", name, uploadId: last } };
    case "blobs":
      if (!isDigest(last)) return fail(digestProblem(last));
      return { ok: true, route: { kind: "blob", name, digest: last } };
    default:
      if (isDigest(last)) return { ok: true, route: { kind: "manifest", name, reference: { digest: last } } };
      if (looksLikeDigest(last)) return fail(digestProblem(last));
      if (!isTag(last))
        return fail(
          problem("TAG_INVALID", `invalid tag '${last.slice(0, 300)}'`, { tag: last.slice(0, 300) }),
        );
      return { ok: true, route: { kind: "manifest", name, reference: { tag: last } } };
  }
}

export function digestProblem(value: string): RegistryProblem {
  return problem(
    "DIGEST_INVALID",
    `'${value.slice(0, 200)}' is not a sha256 digest (sha256:<64 lower-case hex>)`,
    {
      digest: value.slice(0, 200),
    },
  );
}

function fail(p: RegistryProblem): { ok: false; problem: RegistryProblem } {
  return { ok: false, problem: p };
}

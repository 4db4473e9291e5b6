/**
 * The OCI distribution spec's error codes, with the HTTP status each is answered with (Docker's
 * registry uses the same table). docs/registry.md lists them. Pure: the front end renders them
 * as `{"errors": [{"code", "message", "detail"}]}`.
 */
export const registryErrorStatus = {
  BLOB_UNKNOWN: 404,
  BLOB_UPLOAD_INVALID: 400,
  BLOB_UPLOAD_UNKNOWN: 404,
  DIGEST_INVALID: 400,
  MANIFEST_BLOB_UNKNOWN: 400,
  MANIFEST_INVALID: 400,
  MANIFEST_UNKNOWN: 404,
  NAME_INVALID: 400,
  NAME_UNKNOWN: 404,
  SIZE_INVALID: 400,
  TAG_INVALID: 400,
  RANGE_INVALID: 416,
  PAGINATION_NUMBER_INVALID: 400,
  UNAUTHORIZED: 401,
  DENIED: 403,
  UNSUPPORTED: 405,
  UNKNOWN: 500,
} as const;

export type RegistryErrorCode = keyof typeof registryErrorStatus;

/** An expected registry failure: what the client did wrong, in the spec's vocabulary. */
export interface RegistryProblem {
  readonly code: RegistryErrorCode;
  readonly message: string;
  readonly detail?: unknown;
  /** When the spec asks for another status than the code's usual one (413 for an oversize manifest). */
  readonly status?: number;
}

export function problem(
  code: RegistryErrorCode,
  message: string,
  detail?: unknown,
  status?: number,
): RegistryProblem {
  return {
    code,
    message,
    ...(detail === undefined ? {} : { detail }),
    ...(status === undefined ? {} : { status }),
  };
}

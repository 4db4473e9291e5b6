import type { Logger } from "../../lib/logger.js";
import type { ObjectStore, ObjectVersion, Scope } from "../../store/types.js";

/** The secret behind an access key id, and what the key may do. */
export interface S3Credentials {
  readonly secretAccessKey: string;
  /** Temporary keys: every request must carry this as `x-amz-security-token`. */
  readonly sessionToken?: string;
  /**
   * Temporary per-job keys: only these buckets, and no bucket-level changes (create, delete,
   * versioning). Absent: every bucket.
   */
  readonly buckets?: readonly string[];
}

/** Undefined when the access key id is unknown (or its temporary keys have expired). */
export type CredentialsResolver = (accessKeyId: string) => Promise<S3Credentials | undefined>;

export interface S3Deps {
  readonly objects: ObjectStore;
  readonly resolveCredentials: CredentialsResolver;
  /**
   * False when no credentials are configured: any signature, or none, is accepted (main/ only
   * allows that on loopback, as for the JSON API), and the region still comes from the
   * credential scope. True: every request must be signed by a key `resolveCredentials` knows.
   */
  readonly requireSignature: boolean;
  /** The account that owns new buckets, and the region when a request names none. */
  readonly defaultScope: Scope;
  readonly now: () => number;
  readonly newRequestId: () => string;
  readonly logger: Logger;
  /**
   * Told about every object a request created (PutObject, CompleteMultipartUpload), after it is
   * stored: S3 sources start pipelines from it. Its failures are logged; the upload stands.
   */
  readonly onObjectCreated?: (scope: Scope, object: ObjectVersion) => Promise<void>;
}

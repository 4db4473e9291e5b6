import type { CreateResult, Page, Scope } from "./types.js";

/**
 * The container registry's storage (ECR repositories, OCI blobs, manifests and tags). The general
 * store contract of types.ts applies (durable on resolve, expected conflicts as values, scoped by
 * account and region, records are plain frozen JSON). Contract suite:
 * store/contract/registry-store.contract.ts. In addition:
 *  - Blobs are content-addressed (`sha256:<64 hex>`) and kept once whatever the number of
 *    repositories that use them; a repository sees a blob only once it is *linked* to it (by an
 *    upload into it or a mount from another repository of the scope).
 *  - Digests and upload ids reach the file system only after they matched their pattern, and
 *    repository names never do: no input can name a path.
 *  - `putManifest` is all or nothing: the manifest, its references and its tag are stored in one
 *    transaction, after checking that every referenced blob is linked to the repository and
 *    every referenced manifest is in it. A crash at any moment leaves either the whole image or
 *    none of it (blobs uploaded before the crash stay, so a retried push skips them).
 *  - Blob bodies are verified while they stream: `completeUpload` stores nothing when the bytes
 *    do not hash to the digest the client named.
 */
export interface RegistryStore {
  createRepository(record: RegistryRepositoryRecord): Promise<CreateResult>;
  getRepository(scope: Scope, name: string): Promise<RegistryRepositoryRecord | undefined>;
  /** Name byte order, after `after`; `nextAfter` as in PipelineStore.list. */
  listRepositories(
    scope: Scope,
    options: { after?: string; limit: number },
  ): Promise<Page<RegistryRepositoryRecord>>;
  /** Replaces the record's settings (mutability, scanning, lifecycle policy); false when missing. */
  updateRepository(record: RegistryRepositoryRecord): Promise<boolean>;
  /**
   * Removes the repository with its tags, manifests and blob links (files go with garbage
   * collection). NotEmpty, changing nothing, when it holds images and `force` is false.
   */
  deleteRepository(
    scope: Scope,
    name: string,
    force: boolean,
  ): Promise<{ ok: true; record: RegistryRepositoryRecord } | { ok: false; reason: "NotFound" | "NotEmpty" }>;

  /** Starts an upload into a repository; RepositoryNotFound when it does not exist. */
  startUpload(
    scope: Scope,
    repositoryName: string,
    uploadId: string,
    now: number,
  ): Promise<{ ok: true } | { ok: false; reason: "RepositoryNotFound" }>;
  getUpload(uploadId: string): Promise<UploadRecord | undefined>;
  /**
   * Appends `body` to an upload. With `start`, the chunk must begin at the upload's current size
   * (RangeMismatch otherwise, nothing written). A body that throws leaves the upload as it was
   * before the call (what was written of it is cut off again) and rethrows.
   */
  appendUpload(
    uploadId: string,
    body: AsyncIterable<Uint8Array>,
    options: { start?: number; now: number },
  ): Promise<
    | { ok: true; size: number }
    | { ok: false; reason: "NotFound" }
    | { ok: false; reason: "RangeMismatch"; size: number }
  >;
  /**
   * Ends an upload: its bytes (plus `finalBody`, when given) must hash to `digest`. The blob is
   * then stored (unless already there) and linked to the upload's repository, and the upload is
   * gone. On DigestMismatch the upload is gone too and nothing is stored.
   */
  completeUpload(
    uploadId: string,
    digest: string,
    finalBody: AsyncIterable<Uint8Array> | undefined,
    now: number,
  ): Promise<
    | { ok: true; size: number; scope: Scope; repositoryName: string }
    | { ok: false; reason: "NotFound" }
    | { ok: false; reason: "DigestMismatch"; actual: string }
  >;
  /** Forgets an upload and its bytes; false when there was none. */
  cancelUpload(uploadId: string): Promise<boolean>;
  /** Links a blob that `fromRepository` (same scope) sees to `repositoryName`; undefined when it cannot. */
  mountBlob(
    scope: Scope,
    repositoryName: string,
    digest: string,
    fromRepository: string,
    now: number,
  ): Promise<{ size: number } | undefined>;
  /** The size of a blob linked to the repository; undefined when the repository does not see it. */
  statBlob(scope: Scope, repositoryName: string, digest: string): Promise<{ size: number } | undefined>;
  /**
   * A blob's bytes, [start, end] inclusive when a range is given. Opened at once, so a garbage
   * collection that follows cannot take it away while it streams. Undefined when the repository
   * does not see the blob.
   */
  readBlob(
    scope: Scope,
    repositoryName: string,
    digest: string,
    range?: { start: number; end: number },
  ): Promise<AsyncIterable<Uint8Array> | undefined>;
  /** Unlinks a blob from a repository (its file goes with garbage collection); false when not linked. */
  unlinkBlob(scope: Scope, repositoryName: string, digest: string): Promise<boolean>;

  /** See the interface comment: atomic, checked, tag moved in the same transaction. */
  putManifest(put: ManifestPut): Promise<PutManifestResult>;
  getManifest(
    scope: Scope,
    repositoryName: string,
    reference: ImageReference,
  ): Promise<StoredManifest | undefined>;
  getImage(scope: Scope, repositoryName: string, reference: ImageReference): Promise<ImageRecord | undefined>;
  /**
   * Images of a repository in digest order after `after` (a digest), each with its tags sorted;
   * `tagStatus` TAGGED / UNTAGGED keeps only images with / without tags.
   */
  listImages(
    scope: Scope,
    repositoryName: string,
    options: { after?: string; limit: number; tagStatus?: "TAGGED" | "UNTAGGED" | "ANY" },
  ): Promise<Page<ImageRecord>>;
  /** Tags of a repository in byte order after `after`. */
  listTags(
    scope: Scope,
    repositoryName: string,
    options: { after?: string; limit: number },
  ): Promise<Page<string>>;
  /**
   * Deletes an image (manifest and every tag pointing at it). ReferencedByIndex, changing nothing,
   * when an index (manifest list) in the repository names it.
   */
  deleteImage(
    scope: Scope,
    repositoryName: string,
    digest: string,
  ): Promise<"Deleted" | "NotFound" | "ReferencedByIndex">;
  /**
   * Removes one tag (ECR's BatchDeleteImage by tag): the image goes too when that was its last
   * tag and no index names it. Undefined when the tag does not exist.
   */
  removeTag(scope: Scope, repositoryName: string, tag: string): Promise<{ digest: string } | undefined>;

  /**
   * Removes what nothing needs: uploads untouched for `uploadGraceMs`, blob links of blobs that
   * no manifest of their repository references and that were linked more than `blobGraceMs`
   * ago (a push uploads layers before its manifest), and blob files no repository links.
   */
  collectGarbage(options: {
    now: number;
    uploadGraceMs: number;
    blobGraceMs: number;
  }): Promise<GarbageReport>;
}

/** An ECR repository as stored. */
export interface RegistryRepositoryRecord {
  readonly scope: Scope;
  /** ECR's pattern (lower case, `[._-]` between alphanumerics, `/` between parts); unique per scope. */
  readonly name: string;
  readonly created: number;
  readonly imageTagMutability: "MUTABLE" | "IMMUTABLE";
  readonly scanOnPush: boolean;
  readonly encryptionType: "AES256" | "KMS";
  readonly kmsKey?: string;
  readonly lifecyclePolicy?: { readonly text: string; readonly updated: number };
  /** When the lifecycle policy last ran over the repository. */
  readonly lifecycleEvaluatedAt?: number;
}

export interface UploadRecord {
  readonly uploadId: string;
  readonly scope: Scope;
  readonly repositoryName: string;
  /** Bytes received so far. */
  readonly size: number;
  readonly started: number;
  readonly updated: number;
}

export type ImageReference = { readonly digest: string } | { readonly tag: string };

export interface ManifestPut {
  readonly scope: Scope;
  readonly repositoryName: string;
  /** `sha256:` of `body`, computed by the caller. */
  readonly digest: string;
  readonly mediaType: string;
  /** The config's media type (ECR's artifactMediaType). */
  readonly artifactMediaType?: string;
  readonly body: Uint8Array;
  /** Config and layer digests: each must be linked to the repository. */
  readonly blobs: readonly string[];
  /** Manifests an index names: each must be in the repository. */
  readonly manifests: readonly string[];
  /** Moves (or creates) this tag onto the manifest. */
  readonly tag?: string;
  readonly now: number;
}

export type PutManifestResult =
  | {
      readonly ok: true;
      /** False when the repository already had this manifest (a re-push). */
      readonly created: boolean;
      /** The digest the tag pointed at before, when it moved. */
      readonly previousDigest?: string;
    }
  | { readonly ok: false; readonly reason: "RepositoryNotFound" }
  | { readonly ok: false; readonly reason: "BlobsUnknown" | "ManifestsUnknown"; readonly digests: string[] }
  | { readonly ok: false; readonly reason: "TagImmutable"; readonly digest: string };

export interface StoredManifest {
  readonly digest: string;
  readonly mediaType: string;
  readonly body: Uint8Array;
}

/** One image (a manifest) with its tags, as DescribeImages shows it. */
export interface ImageRecord {
  readonly repositoryName: string;
  readonly digest: string;
  readonly mediaType: string;
  readonly artifactMediaType?: string;
  readonly tags: readonly string[];
  /** Config and layers (an index: its largest manifest), as ECR's imageSizeInBytes. */
  readonly size: number;
  readonly pushedAt: number;
}

export interface GarbageReport {
  readonly uploadsRemoved: number;
  readonly linksRemoved: number;
  readonly blobsRemoved: number;
  readonly bytesRemoved: number;
}

/**
 * The container registry's pure core: names and digests, manifests, OCI error codes, ECR
 * lifecycle policies and the ECR source action's imageDetail.json. No Node built-ins; the store,
 * the /v2/ front end and the ECR API use it. docs/registry.md describes the whole.
 */
export * from "./errors.js";
export * from "./image-detail.js";
export * from "./lifecycle-policy.js";
export * from "./media-types.js";
export * from "./names.js";
export * from "./parse-manifest.js";

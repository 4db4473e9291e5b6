/**
 * Inside access: how code that Pipewright runs (CodeBuild builds today; ECS tasks and Lambda
 * functions later) calls AWS APIs and reaches Pipewright instead: per-run temporary credentials
 * served at the container credentials endpoint, the variables every AWS client reads, and shims
 * for clients that cannot be pointed (the AWS CLI 2.9's missing AWS_ENDPOINT_URL, CLI v1's
 * `ecr get-login`, the JavaScript SDK v2). docs/registry.md ("AWS calls from inside builds").
 */
export * from "./inside-credentials.js";
export * from "./inside-environment.js";
export { AWS_WRAPPER, PYTHON_SITECUSTOMIZE, SDK_V2_PRELOAD_SOURCE, writeShims } from "./shims.js";

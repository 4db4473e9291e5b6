import { anyJson, bool, int, list, optional, string, struct } from "../../lib/shape.js";

/** Input shapes of CodeBuild (botocore codebuild 2016-10-06): every member of the structures Pipewright reads. */

export const sourceTypes = [
  "CODECOMMIT",
  "CODEPIPELINE",
  "GITHUB",
  "GITLAB",
  "GITLAB_SELF_MANAGED",
  "S3",
  "BITBUCKET",
  "GITHUB_ENTERPRISE",
  "NO_SOURCE",
] as const;

export const projectSource = struct({
  type: string({ enum: sourceTypes }),
  location: optional(string()),
  gitCloneDepth: optional(int({ min: 0 })),
  gitSubmodulesConfig: optional(anyJson()),
  buildspec: optional(string()),
  auth: optional(anyJson()),
  reportBuildStatus: optional(bool()),
  buildStatusConfig: optional(anyJson()),
  insecureSsl: optional(bool()),
  sourceIdentifier: optional(string()),
});

export const projectArtifacts = struct({
  type: string({ enum: ["CODEPIPELINE", "S3", "NO_ARTIFACTS"] }),
  location: optional(string()),
  path: optional(string()),
  namespaceType: optional(string({ enum: ["NONE", "BUILD_ID"] })),
  name: optional(string()),
  packaging: optional(string({ enum: ["NONE", "ZIP"] })),
  overrideArtifactName: optional(bool()),
  encryptionDisabled: optional(bool()),
  artifactIdentifier: optional(string()),
  bucketOwnerAccess: optional(string({ enum: ["NONE", "READ_ONLY", "FULL"] })),
});

export const environmentVariable = struct({
  name: string({ min: 1 }),
  value: string(),
  type: optional(string({ enum: ["PLAINTEXT", "PARAMETER_STORE", "SECRETS_MANAGER"] })),
});

export const projectEnvironment = struct({
  type: string(),
  image: string({ min: 1 }),
  computeType: string(),
  computeConfiguration: optional(anyJson()),
  fleet: optional(anyJson()),
  environmentVariables: optional(list(environmentVariable)),
  privilegedMode: optional(bool()),
  certificate: optional(string()),
  registryCredential: optional(anyJson()),
  imagePullCredentialsType: optional(string({ enum: ["CODEBUILD", "SERVICE_ROLE"] })),
  dockerServer: optional(anyJson()),
});

export const projectCache = struct({
  type: string({ enum: ["NO_CACHE", "S3", "LOCAL"] }),
  location: optional(string()),
  modes: optional(list(string())),
  cacheNamespace: optional(string()),
});

export const secondarySourceVersions = list(struct({ sourceIdentifier: string(), sourceVersion: string() }), {
  max: 12,
});

export const tagList = list(struct({ key: optional(string()), value: optional(string()) }), { max: 50 });

/** Project members Pipewright keeps and shows back but does not act on. */
export const passThroughProjectFields = {
  vpcConfig: optional(anyJson()),
  badgeEnabled: optional(bool()),
  logsConfig: optional(anyJson()),
  fileSystemLocations: optional(anyJson()),
  buildBatchConfig: optional(anyJson()),
  concurrentBuildLimit: optional(int()),
  autoRetryLimit: optional(int()),
};

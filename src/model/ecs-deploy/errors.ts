import type { FailureType } from "../failure.js";

/**
 * Why the ECS or CodeDeployToECS deploy action cannot go on with what it was given. Every parser
 * and decision of ecs-deploy/ returns one of these in a Result; none of them throws.
 */
export const EcsDeployErrorCode = {
  /** The configured file is not in the input artifact. */
  FileMissing: "FileMissing",
  /** Larger than the action's limit (imagedefinitions.json: 100 KB). */
  FileTooLarge: "FileTooLarge",
  /** Not UTF-8. */
  InvalidEncoding: "InvalidEncoding",
  InvalidJson: "InvalidJson",
  /** imagedefinitions.json is not an array, an entry is not {name, imageUri}, ... */
  InvalidImageDefinitions: "InvalidImageDefinitions",
  DuplicateContainerName: "DuplicateContainerName",
  InvalidImageDetail: "InvalidImageDetail",
  /** A name in the file is not a container of the service's task definition. */
  UnknownContainerName: "UnknownContainerName",
  NoContainerMatched: "NoContainerMatched",
  InvalidTaskDefinition: "InvalidTaskDefinition",
  /** A `<NAME>` placeholder is missing from a template, or left unreplaced. */
  PlaceholderMismatch: "PlaceholderMismatch",
  InvalidAppSpec: "InvalidAppSpec",
  InvalidConfiguration: "InvalidConfiguration",
} as const;
export type EcsDeployErrorCode = (typeof EcsDeployErrorCode)[keyof typeof EcsDeployErrorCode];

export interface EcsDeployError {
  readonly code: EcsDeployErrorCode;
  /** One sentence or two: what is wrong, where, and how to fix it. */
  readonly message: string;
  /** The FailureType the action fails with (CodePipeline's). */
  readonly failureType: FailureType;
}

export function ecsDeployError(code: EcsDeployErrorCode, message: string): EcsDeployError {
  return {
    code,
    message,
    failureType: code === EcsDeployErrorCode.InvalidConfiguration ? "ConfigurationError" : "JobFailed",
  };
}

/**
 * ecs-deploy: the pure core of CodePipeline's `ECS` deploy action (Deploy/AWS/ECS/1) and of
 * the inputs of `CodeDeployToECS` (docs/ecs-deploy-action.md): configuration, the artifact files
 * (imagedefinitions.json, imageDetail.json, taskdef.json and appspec.yaml templates), the new
 * task definition revision, and when the action's deployment is done. Every function returns
 * a Result with an EcsDeployError; none throws.
 */

export * from "./blue-green-inputs.js";
export * from "./blue-green-progress.js";
export * from "./blue-green-service.js";
export * from "./configuration.js";
export * from "./deployment-progress.js";
export * from "./errors.js";
export * from "./image-definitions.js";
export * from "./json-text.js";
export * from "./service-checks.js";
export * from "./task-definition.js";
export * from "./template-files.js";
export * from "./templates.js";
export * from "./validation.js";

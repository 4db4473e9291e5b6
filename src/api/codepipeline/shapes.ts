import { bool, int, list, optional, string, struct } from "../../lib/shape.js";

/** Input shapes shared by several CodePipeline operations (constraints from AWS's model). */
export const pipelineName = string({ min: 1, max: 100, pattern: "[A-Za-z0-9.@\\-_]+" });
export const nextToken = optional(string({ min: 1, max: 2048 }));
export const resourceArn = string({
  min: 1,
  max: 1011,
  pattern: "arn:aws(-[\\w]+)*:codepipeline:.+:[0-9]{12}:.+",
});
export const tag = struct({ key: string({ min: 1, max: 128 }), value: string({ min: 0, max: 256 }) });
export const tagList = list(tag);
export const actionCategory = string({
  enum: ["Source", "Build", "Deploy", "Test", "Invoke", "Approval", "Compute"] as const,
});
export const actionOwner = string({ enum: ["AWS", "ThirdParty", "Custom"] as const });
export const actionProvider = string({ min: 1, max: 35, pattern: "[0-9A-Za-z_-]+" });
export const actionVersion = string({ min: 1, max: 9, pattern: "[0-9A-Za-z_-]+" });
export const artifactDetails = struct({
  minimumCount: int({ min: 0, max: 5 }),
  maximumCount: int({ min: 0, max: 5 }),
});
export const configurationProperty = struct({
  name: string({ min: 1, max: 50 }),
  required: bool(),
  key: bool(),
  secret: bool(),
  queryable: optional(bool()),
  description: optional(string({ min: 1, max: 160 })),
  type: optional(string({ enum: ["String", "Number", "Boolean"] as const })),
});
const url = optional(string({ min: 1, max: 2048 }));
export const actionTypeSettings = struct({
  thirdPartyConfigurationUrl: url,
  entityUrlTemplate: url,
  executionUrlTemplate: url,
  revisionUrlTemplate: url,
});
export const uuid = string({ pattern: "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}" });
export const stageName = string({ min: 1, max: 100, pattern: "[A-Za-z0-9.@\\-_]+" });
export const actionName = string({ min: 1, max: 100, pattern: "[A-Za-z0-9.@\\-_]+" });
export const actionTypeId = struct({
  category: actionCategory,
  owner: actionOwner,
  provider: actionProvider,
  version: actionVersion,
});
export const maxResults100 = optional(int({ min: 1, max: 100 }));

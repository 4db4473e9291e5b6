import { int, list, optional, type Shape, string, stringMap, struct } from "../lib/shape.js";
import type { PipelineDeclaration, Tag } from "./declaration.js";

/** Shapes of the pipeline declaration with the constraints of AWS's model (codepipeline 2015-07-09). */
const name = string({ min: 1, max: 100, pattern: "[A-Za-z0-9.@\\-_]+" });
const artifactName = string({ min: 1, max: 100, pattern: "[a-zA-Z0-9_\\-]+" });
const roleArn = string({ max: 1024, pattern: "arn:aws(-[\\w]+)*:iam::[0-9]{12}:role/.*" });
const region = string({ min: 4, max: 30 });
const timeout = int({ min: 5, max: 86400 });
const patterns = struct({
  includes: optional(list(string({ min: 1, max: 255 }), { min: 1, max: 8 })),
  excludes: optional(list(string({ min: 1, max: 255 }), { min: 1, max: 8 })),
});
const actionTypeId = struct({
  category: string({ enum: ["Source", "Build", "Deploy", "Test", "Invoke", "Approval", "Compute"] as const }),
  owner: string({ enum: ["AWS", "ThirdParty", "Custom"] as const }),
  provider: string({ min: 1, max: 35, pattern: "[0-9A-Za-z_-]+" }),
  version: string({ min: 1, max: 9, pattern: "[0-9A-Za-z_-]+" }),
});
const artifactStore = struct({
  type: string({ enum: ["S3"] as const }),
  location: string({ min: 3, max: 63, pattern: "[a-zA-Z0-9\\-\\.]+" }),
  encryptionKey: optional(
    struct({ id: string({ min: 1, max: 400 }), type: string({ enum: ["KMS"] as const }) }),
  ),
});
const rule = struct({
  name,
  ruleTypeId: struct({
    category: string({ enum: ["Rule"] as const }),
    owner: optional(string({ enum: ["AWS"] as const })),
    provider: string({ min: 1, max: 35, pattern: "[0-9A-Za-z_-]+" }),
    version: optional(string({ min: 1, max: 9, pattern: "[0-9A-Za-z_-]+" })),
  }),
  configuration: optional(
    stringMap({ maxEntries: 200, key: { min: 1, max: 50 }, value: { min: 1, max: 10000 } }),
  ),
  commands: optional(list(string({ min: 1, max: 1000 }), { min: 1, max: 50 })),
  inputArtifacts: optional(list(struct({ name: artifactName }))),
  roleArn: optional(roleArn),
  region: optional(region),
  timeoutInMinutes: optional(timeout),
});
const result = string({ enum: ["ROLLBACK", "FAIL", "RETRY", "SKIP"] as const });
const condition = struct({ result: optional(result), rules: optional(list(rule, { min: 1, max: 5 })) });
const conditions = list(condition, { min: 1, max: 1 });
const action = struct({
  name,
  actionTypeId,
  runOrder: optional(int({ min: 1, max: 999 })),
  configuration: optional(
    stringMap({ maxEntries: 200, key: { min: 1, max: 50 }, value: { min: 1, max: 1000 } }),
  ),
  commands: optional(list(string({ min: 1, max: 1000 }), { min: 1, max: 50 })),
  outputArtifacts: optional(
    list(
      struct({
        name: artifactName,
        files: optional(list(string({ min: 1, max: 128 }), { min: 1, max: 10 })),
      }),
    ),
  ),
  inputArtifacts: optional(list(struct({ name: artifactName }))),
  outputVariables: optional(list(string({ min: 1, max: 128 }), { min: 1, max: 15 })),
  roleArn: optional(roleArn),
  region: optional(region),
  namespace: optional(string({ min: 1, max: 100, pattern: "[A-Za-z0-9@\\-_]+" })),
  timeoutInMinutes: optional(timeout),
  environmentVariables: optional(
    list(
      struct({
        name: string({ min: 1, max: 128, pattern: "[A-Za-z0-9_]+" }),
        value: string({ min: 1, max: 2000 }),
        type: optional(string({ enum: ["PLAINTEXT", "SECRETS_MANAGER"] as const })),
      }),
      { min: 1, max: 10 },
    ),
  ),
});
const stage = struct({
  name,
  blockers: optional(list(struct({ name, type: string({ enum: ["Schedule"] as const }) }))),
  actions: list(action),
  onFailure: optional(
    struct({
      result: optional(result),
      retryConfiguration: optional(
        struct({ retryMode: optional(string({ enum: ["FAILED_ACTIONS", "ALL_ACTIONS"] as const })) }),
      ),
      conditions: optional(conditions),
    }),
  ),
  onSuccess: optional(struct({ conditions })),
  beforeEntry: optional(struct({ conditions })),
});
const trigger = struct({
  providerType: string({ enum: ["CodeStarSourceConnection"] as const }),
  gitConfiguration: struct({
    sourceActionName: name,
    push: optional(
      list(
        struct({ tags: optional(patterns), branches: optional(patterns), filePaths: optional(patterns) }),
        {
          min: 1,
          max: 3,
        },
      ),
    ),
    pullRequest: optional(
      list(
        struct({
          events: optional(
            list(string({ enum: ["OPEN", "UPDATED", "CLOSED"] as const }), { min: 1, max: 3 }),
          ),
          branches: optional(patterns),
          filePaths: optional(patterns),
        }),
        { min: 1, max: 3 },
      ),
    ),
  }),
});

export const pipelineDeclarationShape: Shape<PipelineDeclaration> = struct({
  name,
  roleArn,
  artifactStore: optional(artifactStore),
  artifactStores: optional(objectMap(artifactStore)),
  stages: list(stage),
  version: optional(int({ min: 1 })),
  executionMode: optional(string({ enum: ["QUEUED", "SUPERSEDED", "PARALLEL"] as const })),
  pipelineType: optional(string({ enum: ["V1", "V2"] as const })),
  variables: optional(
    list(
      struct({
        name: string({ min: 1, max: 128, pattern: "[A-Za-z0-9@\\-_]+" }),
        defaultValue: optional(string({ min: 1, max: 1000 })),
        description: optional(string({ min: 0, max: 200 })),
      }),
      { max: 50 },
    ),
  ),
  triggers: optional(list(trigger, { max: 50 })),
});

export const tagShape: Shape<Tag> = struct({
  key: string({ min: 1, max: 128 }),
  value: string({ min: 0, max: 256 }),
});

/** A map of structures (artifactStores: region -> store). */
function objectMap<T>(value: Shape<T>): Shape<Record<string, T>> {
  return {
    optional: false,
    typeName: "map",
    read(input, at) {
      if (typeof input !== "object" || input === null || Array.isArray(input)) {
        at.problems.push({
          kind: "type",
          jsonPath: at.jsonPath,
          awsPath: at.awsPath,
          message: "Expected a map",
        });
        return undefined;
      }
      const out: Record<string, T> = {};
      let good = true;
      for (const [k, v] of Object.entries(input)) {
        const read = value.read(v, { ...at, jsonPath: `${at.jsonPath}.${k}`, awsPath: `${at.awsPath}.${k}` });
        if (read === undefined) good = false;
        else out[k] = read;
      }
      return good ? out : undefined;
    },
  };
}

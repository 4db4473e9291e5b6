// Fixtures for the store contract suite. The `.contract.ts` suffix keeps this file out of the
// published build (tsconfig.build.json excludes contract files), like the suite itself.
import type { ActionTypeSpec } from "../../model/action-types/action-type.js";
import type { ActionCategory, PipelineDeclaration } from "../../model/declaration.js";
import type { OpenedStores } from "../store.contract.js";
import type { PipelineRecord, Scope } from "../types.js";

/** Hands each test the stores opened for it. */
export type CurrentStores = () => OpenedStores;

export const scope: Scope = { accountId: "111111111111", region: "us-east-1" };
export const otherRegion: Scope = { accountId: "111111111111", region: "us-west-2" };
export const otherAccount: Scope = { accountId: "222222222222", region: "us-east-1" };

export const T0 = Date.UTC(2026, 0, 1);

/**
 * A small valid declaration. `marker` lands in the source action's configuration so that a test
 * can tell which write a stored version came from.
 */
export function declaration(
  name: string,
  marker = "first",
  extra: Partial<PipelineDeclaration> = {},
): PipelineDeclaration {
  return {
    name,
    roleArn: "arn:aws:iam::111111111111:role/pipeline",
    artifactStore: { type: "S3", location: "artifacts" },
    stages: [
      {
        name: "Source",
        actions: [
          {
            name: "Checkout",
            actionTypeId: { category: "Source", owner: "AWS", provider: "S3", version: "1" },
            configuration: { S3Bucket: "sources", S3ObjectKey: "app.zip", Marker: marker },
            outputArtifacts: [{ name: "SourceOutput" }],
          },
        ],
      },
      {
        name: "Build",
        actions: [
          {
            name: "Compile",
            actionTypeId: { category: "Build", owner: "AWS", provider: "CodeBuild", version: "1" },
            configuration: { ProjectName: "app" },
            inputArtifacts: [{ name: "SourceOutput" }],
          },
        ],
      },
    ],
    ...extra,
  };
}

export function pipelineRecord(
  name: string,
  options: { scope?: Scope; created?: number; marker?: string; extra?: Partial<PipelineDeclaration> } = {},
): PipelineRecord {
  const created = options.created ?? T0;
  return {
    scope: options.scope ?? scope,
    name,
    version: 1,
    declaration: { ...declaration(name, options.marker, options.extra), version: 1 },
    created,
    updated: created,
  };
}

export function markerOf(record: { declaration: PipelineDeclaration } | undefined): string | undefined {
  return record?.declaration.stages[0]?.actions[0]?.configuration?.Marker;
}

export function actionTypeSpec(
  provider: string,
  version = "1",
  category: ActionCategory = "Build",
  description = "first",
): ActionTypeSpec {
  return {
    id: { category, owner: "Custom", provider, version },
    settings: { entityUrlTemplate: "https://ci.example.com/{Config:Project}" },
    actionConfigurationProperties: [
      { name: "Project", required: true, key: true, secret: false, queryable: true, description },
    ],
    inputArtifactDetails: { minimumCount: 0, maximumCount: 1 },
    outputArtifactDetails: { minimumCount: 0, maximumCount: 1 },
    executable: false,
  };
}

/** Editing a returned record is a caller bug; stores may refuse (frozen objects throw) or not. */
export function tryToMutate(edit: () => void): void {
  try {
    edit();
  } catch {
    // A store that freezes its records refuses the edit: also correct.
  }
}

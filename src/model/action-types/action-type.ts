import type { ActionTypeId } from "../declaration.js";

/** One configuration property of an action type (CodePipeline's `ActionConfigurationProperty`). */
export interface ActionConfigurationProperty {
  name: string;
  required: boolean;
  key: boolean;
  /** Secret values are shown as `****` everywhere except to the job worker. */
  secret: boolean;
  queryable?: boolean;
  description?: string;
  type?: "String" | "Number" | "Boolean";
}

export interface ArtifactDetails {
  minimumCount: number;
  maximumCount: number;
}

export interface ActionTypeSettings {
  thirdPartyConfigurationUrl?: string;
  entityUrlTemplate?: string;
  executionUrlTemplate?: string;
  revisionUrlTemplate?: string;
}

/**
 * Everything validation needs to know about an action type. For built-in providers this is
 * data in builtin-action-types.ts; for custom types it is what CreateCustomActionType stored.
 */
export interface ActionTypeSpec {
  id: ActionTypeId;
  settings?: ActionTypeSettings;
  actionConfigurationProperties: ActionConfigurationProperty[];
  inputArtifactDetails: ArtifactDetails;
  outputArtifactDetails: ArtifactDetails;
  /**
   * Whether Pipewright can run this type today. Types it cannot run are still accepted (so a
   * real AWS pipeline validates exactly), with a warning; an execution that reaches one fails
   * with a ConfigurationError that says so.
   */
  executable: boolean;
  /**
   * Partner (ThirdParty) types whose configuration keys AWS does not publish (they are set on
   * the partner's own page, `thirdPartyConfigurationUrl`): any key is accepted, none required.
   */
  openConfiguration?: boolean;
}

/**
 * Finds action types by id. Implementations: the built-in list, and the composition of the
 * built-ins with a region's custom types (loaded by the caller before validation; lookups are
 * synchronous so validation stays pure).
 */
export interface ActionTypeCatalog {
  find(id: ActionTypeId): ActionTypeSpec | undefined;
}

export function actionTypeKey(id: ActionTypeId): string {
  return `${id.category}/${id.owner}/${id.provider}/${id.version}`;
}

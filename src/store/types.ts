import type { ActionTypeStore } from "./action-type-store-types.js";
import type { BuildStore } from "./build-store-types.js";
import type { ConnectionStore } from "./connection-store-types.js";
import type { EcsStore } from "./ecs-store-types.js";
import type { FunctionStore } from "./function-store-types.js";
import type { ObjectStore } from "./object-store-types.js";
import type { ParameterStore } from "./parameter-store-types.js";
import type { PipelineStore } from "./pipeline-store-types.js";
import type { WorkQueue } from "./queue-types.js";
import type { RegistryStore } from "./registry-store-types.js";
import type { RepositoryStore } from "./repository-store-types.js";
import type { RunStore } from "./run-store-types.js";
import type { SecretStore } from "./secret-store-types.js";
import type { TagStore } from "./tag-store-types.js";

/**
 * The store's contracts, one file per aggregate (so that each implementation, such as a
 * PostgreSQL one, can be written and reviewed one aggregate at a time), and `Stores`, which
 * holds one of each. The rules every store follows are in common-types.ts.
 */
export type * from "./action-type-store-types.js";
export type * from "./build-store-types.js";
export type * from "./common-types.js";
export type * from "./connection-store-types.js";
export type * from "./ecs-store-types.js";
export type * from "./function-store-types.js";
export type * from "./object-store-types.js";
export type * from "./parameter-store-types.js";
export type * from "./pipeline-store-types.js";
export type * from "./queue-types.js";
export type * from "./repository-store-types.js";
export type * from "./run-store-types.js";
export type * from "./secret-store-types.js";
export type * from "./tag-store-types.js";

export interface Stores {
  readonly pipelines: PipelineStore;
  readonly actionTypes: ActionTypeStore;
  readonly tags: TagStore;
  readonly runs: RunStore;
  /** Every unit of work a worker claims: action jobs (which runs.commit writes) and tasks (builds). */
  readonly queue: WorkQueue;
  readonly objects: ObjectStore;
  readonly repositories: RepositoryStore;
  readonly connections: ConnectionStore;
  readonly parameters: ParameterStore;
  readonly secrets: SecretStore;
  /** CodeBuild projects, builds, build logs and reports (build-store-types.ts states its contract). */
  readonly builds: BuildStore;
  readonly registry: RegistryStore; // ECR repositories, blobs, manifests, tags: registry-store-types.ts
  /** ECS clusters, task definitions, services and tasks (ecs-store-types.ts states its contract). */
  readonly ecs: EcsStore;
  /** Lambda-compatible functions and their code (function-store-types.ts states the contract). */
  readonly functions: FunctionStore;
  /** Releases connections and file handles. Calls after close reject; closing twice is harmless. */
  close(): Promise<void>;
}

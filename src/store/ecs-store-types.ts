import type {
  Cluster,
  Service,
  Tag,
  Task,
  TaskDefinition,
  TaskDefinitionStatus,
} from "../model/ecs/types.js";
import type { Scope } from "./common-types.js";

/**
 * Amazon ECS resources: clusters, task definitions (families of revisions), services (with
 * their deployments and events inside the record) and tasks. The general store contract of
 * common-types.ts applies (durable on resolve, expected conflicts as values, scoped by account
 * and region, records are plain frozen JSON). Contract suite: store/contract/ecs-store.contract.ts.
 *
 * Clusters, services and tasks are versioned: `put*` writes `record.version` only when the
 * stored record has `version - 1` (no record counts as 0), so the API and the scheduler, which
 * both change a service, never lose each other's writes (the loser reads again and retries).
 * Task definition revisions are assigned by the caller as the family's last revision + 1;
 * revisions are never reused, even after deregistration.
 */

export interface EcsClusterRecord {
  readonly scope: Scope;
  readonly version: number;
  readonly cluster: Cluster;
}

export interface EcsTaskDefinitionRecord {
  readonly scope: Scope;
  readonly taskDefinition: TaskDefinition;
  /** The revision's tags (AWS keeps them beside the task definition, not in it). */
  readonly tags?: readonly Tag[];
}

export interface EcsServiceRecord {
  readonly scope: Scope;
  readonly clusterName: string;
  readonly version: number;
  readonly service: Service;
}

export interface EcsTaskRecord {
  readonly scope: Scope;
  readonly clusterName: string;
  /** The last part of the task ARN (32 hex digits). */
  readonly taskId: string;
  /** The service that started the task; absent for RunTask's. */
  readonly serviceName?: string;
  readonly version: number;
  readonly task: Task;
}

export type EcsPutResult = { readonly ok: true } | { readonly ok: false; readonly reason: "VersionConflict" };

export interface TaskDefinitionQuery {
  readonly familyPrefix?: string;
  /** Absent: every status. */
  readonly status?: TaskDefinitionStatus;
}

export interface EcsStore {
  /** Writes the cluster when the stored one has `version - 1` (version 1 creates it). */
  putCluster(record: EcsClusterRecord): Promise<EcsPutResult>;
  getCluster(scope: Scope, clusterName: string): Promise<EcsClusterRecord | undefined>;
  /** Every cluster of the scope (ACTIVE and INACTIVE), by name in byte order. */
  listClusters(scope: Scope): Promise<EcsClusterRecord[]>;

  /**
   * Stores a new revision: `taskDefinition.revision` must be `lastRevision(family) + 1`,
   * otherwise nothing changes and RevisionConflict is returned.
   */
  registerTaskDefinition(
    record: EcsTaskDefinitionRecord,
  ): Promise<{ readonly ok: true } | { readonly ok: false; readonly reason: "RevisionConflict" }>;
  /** Replaces a stored revision (DeregisterTaskDefinition); false when there is none. */
  updateTaskDefinition(record: EcsTaskDefinitionRecord): Promise<boolean>;
  /** The given revision, or without one the latest ACTIVE revision of the family. */
  getTaskDefinition(
    scope: Scope,
    family: string,
    revision?: number,
  ): Promise<EcsTaskDefinitionRecord | undefined>;
  /** The highest revision ever registered in the family (any status); 0 for a new family. */
  lastRevision(scope: Scope, family: string): Promise<number>;
  /** By family in byte order, then revision ascending. */
  listTaskDefinitions(scope: Scope, query: TaskDefinitionQuery): Promise<EcsTaskDefinitionRecord[]>;
  /** Family names (byte order) having at least one revision of `status` (any status when absent). */
  listTaskDefinitionFamilies(scope: Scope, query: TaskDefinitionQuery): Promise<string[]>;

  /** Writes the service when the stored one has `version - 1` (version 1 creates it). */
  putService(record: EcsServiceRecord): Promise<EcsPutResult>;
  getService(scope: Scope, clusterName: string, serviceName: string): Promise<EcsServiceRecord | undefined>;
  /** Every service of the cluster, any status, by name in byte order. */
  listServices(scope: Scope, clusterName: string): Promise<EcsServiceRecord[]>;
  /** Services of every scope whose status is ACTIVE or DRAINING: what the scheduler looks after. */
  servicesToSchedule(): Promise<EcsServiceRecord[]>;
  /** Forgets the service (an INACTIVE one no longer listed); false when there was none. */
  removeService(scope: Scope, clusterName: string, serviceName: string): Promise<boolean>;

  /** Writes the task when the stored one has `version - 1` (version 1 creates it). */
  putTask(record: EcsTaskRecord): Promise<EcsPutResult>;
  getTask(scope: Scope, clusterName: string, taskId: string): Promise<EcsTaskRecord | undefined>;
  /** The cluster's tasks (only the service's when named), oldest first (createdAt, then id). */
  listTasks(scope: Scope, clusterName: string, query?: { serviceName?: string }): Promise<EcsTaskRecord[]>;
  /** Tasks of every scope whose lastStatus is not STOPPED, oldest first: what runs or should stop. */
  openTasks(): Promise<EcsTaskRecord[]>;
  /** Forgets a task (stopped tasks are kept for a while, as in AWS); false when there was none. */
  removeTask(scope: Scope, clusterName: string, taskId: string): Promise<boolean>;
}

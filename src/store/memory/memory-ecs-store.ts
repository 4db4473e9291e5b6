import type {
  EcsClusterRecord,
  EcsPutResult,
  EcsServiceRecord,
  EcsStore,
  EcsTaskDefinitionRecord,
  EcsTaskRecord,
  Scope,
  TaskDefinitionQuery,
} from "../types.js";
import { compareByteOrder } from "./compare-byte-order.js";
import { frozenCopy } from "./frozen-copy.js";
import { scopeKey } from "./scope-key.js";

/**
 * ECS resources in Maps keyed by scope and name (JSON arrays, so no separator can collide).
 * Each method runs to completion without awaiting, so it is atomic on its own.
 */
export function createMemoryEcsStore(checkOpen: () => void): EcsStore {
  const clusters = new Map<string, EcsClusterRecord>();
  const definitions = new Map<string, EcsTaskDefinitionRecord>();
  const lastRevisions = new Map<string, number>();
  const services = new Map<string, EcsServiceRecord>();
  const tasks = new Map<string, EcsTaskRecord>();
  const key = (scope: Scope, ...parts: (string | number)[]) => JSON.stringify([scopeKey(scope), ...parts]);
  const inScope = (scope: Scope, k: string) => (JSON.parse(k) as string[])[0] === scopeKey(scope);

  function versioned<R extends { version: number }>(map: Map<string, R>, k: string, record: R): EcsPutResult {
    if ((map.get(k)?.version ?? 0) !== record.version - 1) return { ok: false, reason: "VersionConflict" };
    map.set(k, frozenCopy(record));
    return { ok: true };
  }
  const matches = (r: EcsTaskDefinitionRecord, q: TaskDefinitionQuery) =>
    (q.familyPrefix === undefined || r.taskDefinition.family.startsWith(q.familyPrefix)) &&
    (q.status === undefined || r.taskDefinition.status === q.status);
  const byCreation = (a: EcsTaskRecord, b: EcsTaskRecord) =>
    a.task.createdAt - b.task.createdAt || compareByteOrder(a.taskId, b.taskId);

  return {
    async putCluster(record) {
      checkOpen();
      return versioned(clusters, key(record.scope, record.cluster.clusterName), record);
    },
    async getCluster(scope, name) {
      checkOpen();
      return clusters.get(key(scope, name));
    },
    async listClusters(scope) {
      checkOpen();
      return [...clusters.entries()]
        .filter(([k]) => inScope(scope, k))
        .map(([, r]) => r)
        .sort((a, b) => compareByteOrder(a.cluster.clusterName, b.cluster.clusterName));
    },

    async registerTaskDefinition(record) {
      checkOpen();
      const { family, revision } = record.taskDefinition;
      const familyKey = key(record.scope, family);
      if ((lastRevisions.get(familyKey) ?? 0) !== revision - 1)
        return { ok: false, reason: "RevisionConflict" };
      lastRevisions.set(familyKey, revision);
      definitions.set(key(record.scope, family, revision), frozenCopy(record));
      return { ok: true };
    },
    async updateTaskDefinition(record) {
      checkOpen();
      const k = key(record.scope, record.taskDefinition.family, record.taskDefinition.revision);
      if (!definitions.has(k)) return false;
      definitions.set(k, frozenCopy(record));
      return true;
    },
    async getTaskDefinition(scope, family, revision) {
      checkOpen();
      if (revision !== undefined) return definitions.get(key(scope, family, revision));
      for (let r = lastRevisions.get(key(scope, family)) ?? 0; r >= 1; r--) {
        const found = definitions.get(key(scope, family, r));
        if (found?.taskDefinition.status === "ACTIVE") return found;
      }
      return undefined;
    },
    async lastRevision(scope, family) {
      checkOpen();
      return lastRevisions.get(key(scope, family)) ?? 0;
    },
    async listTaskDefinitions(scope, query) {
      checkOpen();
      return [...definitions.entries()]
        .filter(([k, r]) => inScope(scope, k) && matches(r, query))
        .map(([, r]) => r)
        .sort(
          (a, b) =>
            compareByteOrder(a.taskDefinition.family, b.taskDefinition.family) ||
            a.taskDefinition.revision - b.taskDefinition.revision,
        );
    },
    async listTaskDefinitionFamilies(scope, query) {
      checkOpen();
      const families = new Set(
        [...definitions.entries()]
          .filter(([k, r]) => inScope(scope, k) && matches(r, query))
          .map(([, r]) => r.taskDefinition.family),
      );
      return [...families].sort(compareByteOrder);
    },

    async putService(record) {
      checkOpen();
      return versioned(services, key(record.scope, record.clusterName, record.service.serviceName), record);
    },
    async getService(scope, clusterName, serviceName) {
      checkOpen();
      return services.get(key(scope, clusterName, serviceName));
    },
    async listServices(scope, clusterName) {
      checkOpen();
      return [...services.values()]
        .filter((r) => scopeKey(r.scope) === scopeKey(scope) && r.clusterName === clusterName)
        .sort((a, b) => compareByteOrder(a.service.serviceName, b.service.serviceName));
    },
    async servicesToSchedule() {
      checkOpen();
      return [...services.values()].filter((r) => r.service.status !== "INACTIVE");
    },
    async removeService(scope, clusterName, serviceName) {
      checkOpen();
      return services.delete(key(scope, clusterName, serviceName));
    },

    async putTask(record) {
      checkOpen();
      return versioned(tasks, key(record.scope, record.clusterName, record.taskId), record);
    },
    async getTask(scope, clusterName, taskId) {
      checkOpen();
      return tasks.get(key(scope, clusterName, taskId));
    },
    async listTasks(scope, clusterName, query = {}) {
      checkOpen();
      return [...tasks.values()]
        .filter(
          (r) =>
            scopeKey(r.scope) === scopeKey(scope) &&
            r.clusterName === clusterName &&
            (query.serviceName === undefined || r.serviceName === query.serviceName),
        )
        .sort(byCreation);
    },
    async openTasks() {
      checkOpen();
      return [...tasks.values()].filter((r) => r.task.lastStatus !== "STOPPED").sort(byCreation);
    },
    async removeTask(scope, clusterName, taskId) {
      checkOpen();
      return tasks.delete(key(scope, clusterName, taskId));
    },
  };
}

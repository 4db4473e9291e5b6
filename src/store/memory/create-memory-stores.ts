import type { Stores } from "../types.js";
import { createMemoryActionTypeStore } from "./memory-action-type-store.js";
import { createMemoryBuildStore } from "./memory-build-store.js";
import { createMemoryConnectionStore } from "./memory-connection-store.js";
import { createMemoryEcsStore } from "./memory-ecs-store.js";
import { createMemoryFunctionStore } from "./memory-function-store.js";
import { createMemoryJobTable } from "./memory-job-table.js";
import { createMemoryObjectStore } from "./memory-object-store.js";
import { createMemoryParameterStore } from "./memory-parameter-store.js";
import { createMemoryPipelineStore } from "./memory-pipeline-store.js";
import { createMemoryRegistryStore } from "./memory-registry-store.js";
import { createMemoryRepositoryStore } from "./memory-repository-store.js";
import { createMemoryRunStore } from "./memory-run-store.js";
import { createMemorySecretStore } from "./memory-secret-store.js";
import { createMemoryTagStore } from "./memory-tag-store.js";
import { createMemoryWorkQueue } from "./memory-work-queue.js";

/**
 * Stores that live in this process's memory: for tests and `createTestWorld`. They pass the same
 * contract suite as SQLite except durability (nothing survives the process). Records are kept as
 * frozen deep copies, so neither a caller's later edits nor edits to a returned record reach
 * stored state. Hosted repositories are bare git directories in a temp directory that `close`
 * deletes (memory-repository-store.ts).
 */
export function createMemoryStores(): Stores {
  let closed = false;
  const checkOpen = () => {
    if (closed) throw new Error("memory stores: used after close");
  };
  const repositories = createMemoryRepositoryStore(checkOpen);
  const registry = createMemoryRegistryStore(checkOpen);
  const jobs = createMemoryJobTable();
  return {
    pipelines: createMemoryPipelineStore(checkOpen),
    actionTypes: createMemoryActionTypeStore(checkOpen),
    tags: createMemoryTagStore(checkOpen),
    runs: createMemoryRunStore(checkOpen, jobs),
    queue: createMemoryWorkQueue(checkOpen, jobs),
    objects: createMemoryObjectStore(checkOpen),
    repositories: repositories.repositories,
    connections: createMemoryConnectionStore(checkOpen),
    parameters: createMemoryParameterStore(checkOpen),
    secrets: createMemorySecretStore(checkOpen),
    builds: createMemoryBuildStore(checkOpen),
    registry: registry.registry,
    ecs: createMemoryEcsStore(checkOpen),
    functions: createMemoryFunctionStore(checkOpen),
    async close() {
      if (!closed) {
        repositories.close();
        registry.close();
      }
      closed = true;
    },
  };
}

import { randomBytes, randomUUID } from "node:crypto";
import type { EcsDeps } from "../api/ecs/deps.js";
import type { Clock } from "../lib/clock.js";
import { EcsClusters } from "../runtime/ecs/clusters.js";
import type { EcsContext, EcsIds } from "../runtime/ecs/ecs-context.js";
import { EcsServices } from "../runtime/ecs/services.js";
import { EcsTaskDefinitions } from "../runtime/ecs/task-definitions.js";
import { EcsTasks } from "../runtime/ecs/tasks.js";
import type { Stores } from "../store/types.js";

/** Random ids as AWS shapes them: 32 hex digit task ids, `ecs-svc/` + 19 digits deployment ids. */
export const randomEcsIds: EcsIds = {
  taskId: () => randomBytes(16).toString("hex"),
  deploymentId: () =>
    `ecs-svc/${(randomBytes(8).readBigUInt64BE() % 10n ** 19n).toString().padStart(19, "0")}`,
  uuid: randomUUID,
};

export interface EcsWiring {
  readonly api: EcsDeps;
  readonly context: EcsContext;
}

/** Wires Amazon ECS: the runtime's services over the ECS store (the API reads and changes through them). */
export function wireEcs(options: { stores: Stores; clock: Clock; ids?: EcsIds }): EcsWiring {
  const wakers: (() => void)[] = [];
  const context: EcsContext = {
    store: options.stores.ecs,
    clock: options.clock,
    ids: options.ids ?? randomEcsIds,
    wake: () => {
      for (const w of wakers) w();
    },
  };
  const taskDefinitions = new EcsTaskDefinitions(context);
  return {
    context,
    api: {
      clusters: new EcsClusters(context),
      taskDefinitions,
      services: new EcsServices(context, taskDefinitions),
      tasks: new EcsTasks(context, taskDefinitions),
    },
  };
}

import type { EcsClusters } from "../../runtime/ecs/clusters.js";
import type { EcsServices } from "../../runtime/ecs/services.js";
import type { EcsTags } from "../../runtime/ecs/tags.js";
import type { EcsTaskDefinitions } from "../../runtime/ecs/task-definitions.js";
import type { EcsTasks } from "../../runtime/ecs/tasks.js";

/** What the ECS operations need: the runtime's ECS services (runtime/ecs/). */
export interface EcsDeps {
  readonly clusters: EcsClusters;
  readonly taskDefinitions: EcsTaskDefinitions;
  readonly services: EcsServices;
  readonly tasks: EcsTasks;
  /** TagResource, UntagResource, ListTagsForResource. */
  readonly tags: EcsTags;
  /** The built-in load balancer's URL for a target group, once it has a port. */
  readonly endpointOf?: (targetGroupArn: string) => string | undefined;
}

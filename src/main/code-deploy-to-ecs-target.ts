import { err, ok, type Result } from "../lib/result.js";
import type { ServiceFailure } from "../model/exceptions.js";
import type { CodeDeployToEcsTarget } from "../providers/ecs-deploy/code-deploy-to-ecs-provider.js";
import { EcsBlueGreen } from "../runtime/ecs/blue-green.js";
import type { EcsWiring } from "./ecs.js";
import { ecsDeployTarget } from "./ecs-deploy-target.js";

const answer = <T>(r: Result<T, ServiceFailure>): Result<T, string> =>
  r.ok ? ok(r.value) : err(`${r.error.type}: ${r.error.message}`);

/**
 * The CodeDeployToECS action's view of ECS: the ECS runtime's services (the same the API calls)
 * and runtime/ecs/blue-green.ts over the built-in load balancer's target groups.
 */
export function codeDeployToEcsTarget(ecs: EcsWiring): CodeDeployToEcsTarget {
  const blueGreen = new EcsBlueGreen(ecs.context, ecs.targets);
  const register = ecsDeployTarget(ecs.api);
  return {
    async describeService(scope, cluster, service) {
      return (await ecs.api.services.get(scope, cluster, service))?.service;
    },
    registerTaskDefinition: (scope, input) => register.registerTaskDefinition(scope, input),
    async startGreen(scope, cluster, service, taskDefinitionArn) {
      return answer(await blueGreen.start(scope, cluster, service, taskDefinitionArn));
    },
    view: (scope, cluster, service, deploymentId) => blueGreen.view(scope, cluster, service, deploymentId),
    async switchTraffic(scope, cluster, service, deploymentId, taskIds) {
      return answer(await blueGreen.switchTraffic(scope, cluster, service, deploymentId, taskIds));
    },
    async endBake(scope, cluster, service, deploymentId) {
      return answer(await blueGreen.endBake(scope, cluster, service, deploymentId));
    },
    async rollBack(scope, cluster, service, deploymentId, reason) {
      return answer(await blueGreen.rollBack(scope, cluster, service, deploymentId, reason));
    },
  };
}

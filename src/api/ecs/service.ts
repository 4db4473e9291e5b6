import type { JsonService } from "../operation.js";
import type { EcsDeps } from "./deps.js";
import { ecsConstraintError } from "./errors.js";
import { createCluster, deleteCluster, describeClusters, listClusters } from "./operations/clusters.js";
import {
  createService,
  deleteService,
  describeServices,
  listServices,
  updateService,
} from "./operations/services.js";
import { listTagsForResource, tagResource, untagResource } from "./operations/tags.js";
import {
  deregisterTaskDefinition,
  describeTaskDefinition,
  listTaskDefinitionFamilies,
  listTaskDefinitions,
  registerTaskDefinition,
} from "./operations/task-definitions.js";
import { describeTasks, listTasks, runTask, stopTask } from "./operations/tasks.js";

/**
 * Amazon ECS (`AmazonEC2ContainerServiceV20141113`, signing name `ecs`, AWS JSON 1.1) over
 * runtime/ecs: clusters, task definitions, services with rolling deployments run by Pipewright's
 * scheduler, and tasks. Constraint problems are InvalidParameterException. docs/ecs.md says
 * what is supported and where Pipewright differs from AWS.
 */
export function createEcsService(deps: EcsDeps): JsonService {
  return {
    targetPrefix: "AmazonEC2ContainerServiceV20141113",
    signingName: "ecs",
    operations: [
      createCluster(deps),
      describeClusters(deps),
      listClusters(deps),
      deleteCluster(deps),
      registerTaskDefinition(deps),
      describeTaskDefinition(deps),
      deregisterTaskDefinition(deps),
      listTaskDefinitions(deps),
      listTaskDefinitionFamilies(deps),
      createService(deps),
      updateService(deps),
      describeServices(deps),
      listServices(deps),
      deleteService(deps),
      runTask(deps),
      stopTask(deps),
      describeTasks(deps),
      listTasks(deps),
      tagResource(deps),
      untagResource(deps),
      listTagsForResource(deps),
    ],
    notImplemented,
    constraintError: ecsConstraintError,
  };
}

/** Every other operation of botocore's ecs 2014-11-13 model. */
const notImplemented = [
  "CreateCapacityProvider",
  "CreateTaskSet",
  "DeleteAccountSetting",
  "DeleteAttributes",
  "DeleteCapacityProvider",
  "DeleteTaskSet",
  "DeregisterContainerInstance",
  "DescribeCapacityProviders",
  "DescribeContainerInstances",
  "DescribeTaskSets",
  "DiscoverPollEndpoint",
  "ExecuteCommand",
  "GetTaskProtection",
  "ListAccountSettings",
  "ListAttributes",
  "ListContainerInstances",
  "ListServicesByNamespace",
  "PutAccountSetting",
  "PutAccountSettingDefault",
  "PutAttributes",
  "PutClusterCapacityProviders",
  "RegisterContainerInstance",
  "StartTask",
  "SubmitAttachmentStateChanges",
  "SubmitContainerStateChange",
  "SubmitTaskStateChange",
  "UpdateCapacityProvider",
  "UpdateCluster",
  "UpdateClusterSettings",
  "UpdateContainerAgent",
  "UpdateContainerInstancesState",
  "UpdateServicePrimaryTaskSet",
  "UpdateTaskProtection",
  "UpdateTaskSet",
  // Newer than Debian's botocore (in the AWS SDK v3 client's model).
  "AssociateGatewayWithCluster",
  "ContinueServiceDeployment",
  "CreateDaemon",
  "CreateExpressGatewayService",
  "CreateGateway",
  "DeleteDaemon",
  "DeleteDaemonTaskDefinition",
  "DeleteExpressGatewayService",
  "DeleteGateway",
  "DeleteTaskDefinitions",
  "DescribeDaemon",
  "DescribeDaemonDeployments",
  "DescribeDaemonRevisions",
  "DescribeDaemonTaskDefinition",
  "DescribeExpressGatewayService",
  "DescribeGateway",
  "DescribeGatewayResources",
  "DescribeGatewayRoute",
  "DescribeServiceDeployments",
  "DescribeServiceRevisions",
  "DisassociateGatewayFromCluster",
  "ListDaemonDeployments",
  "ListDaemonTaskDefinitions",
  "ListDaemons",
  "ListGatewayClusterAssociations",
  "ListGatewayRoutes",
  "ListGateways",
  "ListServiceDeployments",
  "RegisterDaemonTaskDefinition",
  "StopServiceDeployment",
  "UpdateDaemon",
  "UpdateExpressGatewayService",
  "UpdateGateway",
];

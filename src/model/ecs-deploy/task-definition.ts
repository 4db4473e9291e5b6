import { err, ok, type Result } from "../../lib/result.js";
import { type EcsDeployError, ecsDeployError } from "./errors.js";
import type { ImageDefinition } from "./image-definitions.js";

/** A container definition as DescribeTaskDefinition returns it; only `name` and `image` are read. */
export interface ContainerDefinitionLike {
  readonly name?: string;
  readonly image?: string;
  readonly [key: string]: unknown;
}

/** DescribeTaskDefinition's `taskDefinition` (any further members are carried or dropped as below). */
export interface TaskDefinitionLike {
  readonly family?: string;
  readonly revision?: number;
  readonly taskDefinitionArn?: string;
  readonly containerDefinitions?: readonly ContainerDefinitionLike[];
  readonly [key: string]: unknown;
}

/** RegisterTaskDefinition's input (every member the request accepts). */
export interface RegisterTaskDefinitionInput {
  readonly family: string;
  readonly containerDefinitions: ContainerDefinitionLike[];
  readonly tags?: readonly { key?: string; value?: string }[];
  readonly [key: string]: unknown;
}

/**
 * RegisterTaskDefinition's request members besides family and containerDefinitions (botocore
 * ecs 2014-11-13, plus enableFaultInjection). Everything else DescribeTaskDefinition returns
 * (taskDefinitionArn, revision, status, requiresAttributes, compatibilities, registeredAt,
 * registeredBy, deregisteredAt) is set by ECS and is dropped.
 */
const CARRIED = [
  "taskRoleArn",
  "executionRoleArn",
  "networkMode",
  "volumes",
  "placementConstraints",
  "requiresCompatibilities",
  "cpu",
  "memory",
  "pidMode",
  "ipcMode",
  "proxyConfiguration",
  "inferenceAccelerators",
  "ephemeralStorage",
  "runtimePlatform",
  "enableFaultInjection",
] as const;

function revisionName(td: TaskDefinitionLike): string {
  if (td.family && td.revision !== undefined) return `${td.family}:${td.revision}`;
  return td.taskDefinitionArn ?? td.family ?? "the service's task definition";
}

/**
 * The RegisterTaskDefinition input of the ECS action: the service's current task definition
 * with only the `image` of each container named in imagedefinitions.json replaced (AWS staff:
 * the action "will only update the container definitions' image attribute"). Tags given (from
 * DescribeTaskDefinition include=TAGS) are carried too. Fails when a name is not a container of
 * the task definition (listing the valid names) or when nothing matched.
 */
export function swapImages(
  current: TaskDefinitionLike,
  images: readonly ImageDefinition[],
  fileName: string,
  tags?: readonly { key?: string; value?: string }[],
): Result<RegisterTaskDefinitionInput, EcsDeployError> {
  const containers = current.containerDefinitions;
  if (!current.family || !Array.isArray(containers) || containers.length === 0)
    return err(
      ecsDeployError(
        "InvalidTaskDefinition",
        `${revisionName(current)} has no family or no container definitions; the service's task definition cannot be copied.`,
      ),
    );
  const valid = containers.map((c) => c.name).filter((n): n is string => typeof n === "string");
  const unknown = images.filter((i) => !valid.includes(i.name)).map((i) => `'${i.name}'`);
  if (unknown.length > 0)
    return err(
      ecsDeployError(
        "UnknownContainerName",
        `${fileName} names ${unknown.length === 1 ? "a container" : "containers"} ${unknown.join(", ")} that ${
          unknown.length === 1 ? "is" : "are"
        } not in task definition ${revisionName(current)}. Valid container names: ${valid.map((n) => `'${n}'`).join(", ")}.`,
      ),
    );
  const byName = new Map(images.map((i) => [i.name, i.imageUri]));
  if (!containers.some((c) => c.name !== undefined && byName.has(c.name)))
    return err(
      ecsDeployError(
        "NoContainerMatched",
        `${fileName} matched no container of task definition ${revisionName(current)}; name one of: ${valid.map((n) => `'${n}'`).join(", ")}.`,
      ),
    );
  const input: Record<string, unknown> = { family: current.family };
  for (const key of CARRIED) if (current[key] !== undefined) input[key] = current[key];
  input.containerDefinitions = containers.map((c) => {
    const image = c.name === undefined ? undefined : byName.get(c.name);
    return image === undefined ? { ...c } : { ...c, image };
  });
  if (tags && tags.length > 0) input.tags = tags.map((t) => ({ ...t }));
  return ok(input as unknown as RegisterTaskDefinitionInput);
}

/**
 * ECS ARNs and the references the API accepts in their place: a cluster, service or task is named
 * by its name (id) or its full ARN; a task definition by `family`, `family:revision` or its ARN.
 * Formats as AWS writes them (the "long" ARN format, with the cluster in service and task ARNs).
 */

export interface EcsScope {
  readonly accountId: string;
  readonly region: string;
}

const prefix = (scope: EcsScope) => `arn:aws:ecs:${scope.region}:${scope.accountId}`;

export const clusterArn = (scope: EcsScope, name: string) => `${prefix(scope)}:cluster/${name}`;
export const serviceArn = (scope: EcsScope, cluster: string, name: string) =>
  `${prefix(scope)}:service/${cluster}/${name}`;
export const taskArn = (scope: EcsScope, cluster: string, id: string) =>
  `${prefix(scope)}:task/${cluster}/${id}`;
export const containerArn = (scope: EcsScope, cluster: string, taskId: string, id: string) =>
  `${prefix(scope)}:container/${cluster}/${taskId}/${id}`;
export const taskDefinitionArn = (scope: EcsScope, family: string, revision: number) =>
  `${prefix(scope)}:task-definition/${family}:${revision}`;

/** The default cluster, used when a request names none (as AWS does). */
export const DEFAULT_CLUSTER = "default";

const ARN = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:([a-z-]+)\/(.+)$/u;

/** The resource part of an ECS ARN (`cluster/x` -> ["cluster", "x"]), or undefined for a plain name. */
function resourceOf(reference: string): [string, string] | undefined {
  const match = ARN.exec(reference);
  return match ? [match[1]!, match[2]!] : undefined;
}

/** `default`, `name` or a cluster ARN -> the cluster's name. */
export function clusterNameOf(reference: string | undefined): string {
  if (reference === undefined || reference === "") return DEFAULT_CLUSTER;
  const resource = resourceOf(reference);
  return resource && resource[0] === "cluster" ? resource[1] : reference;
}

/** A service name or ARN (`service/name` or `service/cluster/name`) -> the service's name. */
export function serviceNameOf(reference: string): string {
  const resource = resourceOf(reference);
  if (resource?.[0] !== "service") return reference;
  return resource[1].split("/").at(-1)!;
}

/** A task id or ARN (`task/id` or `task/cluster/id`) -> the task id. */
export function taskIdOf(reference: string): string {
  const resource = resourceOf(reference);
  if (resource?.[0] !== "task") return reference;
  return resource[1].split("/").at(-1)!;
}

/** `family`, `family:revision` or a task definition ARN; undefined when it is none of these. */
export function parseTaskDefinitionReference(
  reference: string,
): { readonly family: string; readonly revision?: number } | undefined {
  const resource = resourceOf(reference);
  const text = resource ? (resource[0] === "task-definition" ? resource[1] : undefined) : reference;
  if (text === undefined) return undefined;
  const match = /^([a-zA-Z0-9_-]{1,255})(?::(\d+))?$/u.exec(text);
  if (!match) return undefined;
  return match[2] === undefined ? { family: match[1]! } : { family: match[1]!, revision: Number(match[2]) };
}

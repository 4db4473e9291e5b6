import { ok } from "../../lib/result.js";
import { parseTaskDefinitionReference } from "../../model/ecs/arns.js";
import type { Tag } from "../../model/ecs/types.js";
import type { Scope } from "../../store/types.js";
import { type EcsContext, type EcsResult, failure, versionedChange } from "./ecs-context.js";

/** AWS's limit of user tags per ECS resource. */
export const MAX_TAGS = 50;

type Resource =
  | { readonly kind: "cluster"; readonly cluster: string }
  | { readonly kind: "service"; readonly cluster: string; readonly name: string }
  | { readonly kind: "task"; readonly cluster: string; readonly id: string }
  | { readonly kind: "task-definition"; readonly family: string; readonly revision: number };

const ARN = /^arn:aws[a-z-]*:ecs:([a-z0-9-]+):(\d{12}):([a-z-]+)\/(.+)$/u;

/** Reads a taggable ECS ARN of this scope; the error says which forms are taggable. */
function resourceOf(scope: Scope, arn: string): EcsResult<Resource> {
  const match = ARN.exec(arn);
  const forms =
    "give the ARN of a cluster (arn:aws:ecs:<region>:<account>:cluster/<name>), service (.../service/<cluster>/<name>), task (.../task/<cluster>/<id>) or task definition (.../task-definition/<family>:<revision>)";
  if (!match)
    return failure(
      "InvalidParameterException",
      `The ARN '${arn}' is not a taggable ECS resource ARN; ${forms}.`,
    );
  const [, region, account, kind, rest] = match as unknown as [string, string, string, string, string];
  if (region !== scope.region || account !== scope.accountId)
    return failure(
      "InvalidParameterException",
      `The ARN '${arn}' belongs to ${account} in ${region}; this request is signed for ${scope.accountId} in ${scope.region}.`,
    );
  const parts = rest.split("/");
  if (kind === "cluster" && parts.length === 1) return ok({ kind, cluster: parts[0]! });
  if (kind === "service" && parts.length === 2) return ok({ kind, cluster: parts[0]!, name: parts[1]! });
  if (kind === "task" && parts.length === 2) return ok({ kind, cluster: parts[0]!, id: parts[1]! });
  if (kind === "task-definition") {
    const ref = parseTaskDefinitionReference(rest);
    if (ref?.revision !== undefined) return ok({ kind, family: ref.family, revision: ref.revision });
  }
  return failure(
    "InvalidParameterException",
    `The ARN '${arn}' is not a taggable ECS resource ARN; ${forms}.`,
  );
}

const notFound = (arn: string) =>
  failure(
    "ResourceNotFoundException",
    `The specified resource could not be found. Nothing is named '${arn}'; list clusters, services, tasks and task definitions with aws ecs list-*.`,
  );

/** Tags merged as AWS merges them: an existing key takes the new value; at most MAX_TAGS. */
export function mergeTags(current: readonly Tag[], added: readonly Tag[]): EcsResult<Tag[]> {
  for (const t of added)
    if (t.key.toLowerCase().startsWith("aws:"))
      return failure(
        "InvalidParameterException",
        `Tag key '${t.key}' is reserved: keys starting with aws: are AWS's own. Use another prefix.`,
      );
  const merged = new Map(current.map((t) => [t.key, t.value]));
  for (const t of added) merged.set(t.key, t.value);
  if (merged.size > MAX_TAGS)
    return failure(
      "InvalidParameterException",
      `A resource can have at most ${MAX_TAGS} tags; this change would give it ${merged.size}. Remove some with UntagResource first.`,
    );
  return ok([...merged].map(([key, value]) => ({ key, value })));
}

/**
 * TagResource, UntagResource and ListTagsForResource over the tags the records already carry
 * (clusters, services, tasks) or keep beside them (task definition revisions). Unknown resources
 * are ResourceNotFoundException (ClusterNotFoundException for a cluster), as ECS answers.
 */
export class EcsTags {
  constructor(private readonly ctx: EcsContext) {}

  async list(scope: Scope, arn: string): Promise<EcsResult<readonly Tag[]>> {
    const resource = resourceOf(scope, arn);
    if (!resource.ok) return resource;
    const r = resource.value;
    const store = this.ctx.store;
    switch (r.kind) {
      case "cluster": {
        const found = await store.getCluster(scope, r.cluster);
        return found ? ok(found.cluster.tags) : clusterNotFound(r.cluster);
      }
      case "service": {
        const found = await store.getService(scope, r.cluster, r.name);
        return found ? ok(found.service.tags) : notFound(arn);
      }
      case "task": {
        const found = await store.getTask(scope, r.cluster, r.id);
        return found ? ok(found.task.tags) : notFound(arn);
      }
      case "task-definition": {
        const found = await store.getTaskDefinition(scope, r.family, r.revision);
        return found ? ok(found.tags ?? []) : notFound(arn);
      }
    }
  }

  tag(scope: Scope, arn: string, tags: readonly Tag[]): Promise<EcsResult<unknown>> {
    return this.change(scope, arn, (current) => mergeTags(current, tags));
  }

  untag(scope: Scope, arn: string, keys: readonly string[]): Promise<EcsResult<unknown>> {
    const gone = new Set(keys);
    return this.change(scope, arn, (current) => ok(current.filter((t) => !gone.has(t.key))));
  }

  private async change(
    scope: Scope,
    arn: string,
    next: (current: readonly Tag[]) => EcsResult<Tag[]>,
  ): Promise<EcsResult<unknown>> {
    const resource = resourceOf(scope, arn);
    if (!resource.ok) return resource;
    const r = resource.value;
    const store = this.ctx.store;
    switch (r.kind) {
      case "cluster":
        return versionedChange(
          () => store.getCluster(scope, r.cluster),
          (current) => {
            if (!current) return clusterNotFound(r.cluster);
            const tags = next(current.cluster.tags);
            return tags.ok ? ok({ ...current, cluster: { ...current.cluster, tags: tags.value } }) : tags;
          },
          (record) => store.putCluster(record),
        );
      case "service":
        return versionedChange(
          () => store.getService(scope, r.cluster, r.name),
          (current) => {
            if (!current) return notFound(arn);
            const tags = next(current.service.tags);
            return tags.ok ? ok({ ...current, service: { ...current.service, tags: tags.value } }) : tags;
          },
          (record) => store.putService(record),
        );
      case "task":
        return versionedChange(
          () => store.getTask(scope, r.cluster, r.id),
          (current) => {
            if (!current) return notFound(arn);
            const tags = next(current.task.tags);
            return tags.ok
              ? ok({
                  ...current,
                  task: { ...current.task, tags: tags.value, version: current.task.version + 1 },
                })
              : tags;
          },
          (record) => store.putTask(record),
        );
      case "task-definition": {
        const found = await store.getTaskDefinition(scope, r.family, r.revision);
        if (!found) return notFound(arn);
        const tags = next(found.tags ?? []);
        if (!tags.ok) return tags;
        await store.updateTaskDefinition({ ...found, tags: tags.value });
        return ok(undefined);
      }
    }
  }
}

const clusterNotFound = (name: string) =>
  failure(
    "ClusterNotFoundException",
    `Cluster not found. There is no cluster '${name}'; aws ecs list-clusters lists them.`,
  );

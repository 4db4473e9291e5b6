import { ok } from "../../lib/result.js";
import { parseTaskDefinitionReference, taskDefinitionArn } from "../../model/ecs/arns.js";
import { type TaskDefinitionInput, taskDefinitionFromInput } from "../../model/ecs/task-definition-input.js";
import type { Tag, TaskDefinitionStatus } from "../../model/ecs/types.js";
import type { EcsTaskDefinitionRecord, Scope } from "../../store/types.js";
import { type EcsContext, type EcsResult, failure } from "./ecs-context.js";

const MAX_ATTEMPTS = 20;

/** Task definitions: families of revisions (RegisterTaskDefinition, Describe, List, Deregister). */
export class EcsTaskDefinitions {
  constructor(private readonly ctx: EcsContext) {}

  /** Registers the family's next revision (concurrent registrations each get their own number). */
  async register(
    scope: Scope,
    input: TaskDefinitionInput,
    principal: string,
    tags: readonly Tag[] = [],
  ): Promise<EcsResult<EcsTaskDefinitionRecord>> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const revision = (await this.ctx.store.lastRevision(scope, input.family)) + 1;
      const definition = taskDefinitionFromInput(input, {
        arn: taskDefinitionArn(scope, input.family, revision),
        revision,
        now: this.ctx.clock.now(),
        principal,
      });
      if (!definition.ok) return definition;
      const record = { scope, taskDefinition: definition.value, ...(tags.length > 0 ? { tags } : {}) };
      if ((await this.ctx.store.registerTaskDefinition(record)).ok) return ok(record);
    }
    throw new Error(`ecs: ${MAX_ATTEMPTS} conflicting registrations in family ${input.family}`);
  }

  /**
   * `family` (its latest ACTIVE revision), `family:revision` or an ARN. An unknown one is
   * ClientException, as AWS answers.
   */
  async resolve(scope: Scope, reference: string): Promise<EcsResult<EcsTaskDefinitionRecord>> {
    const parsed = parseTaskDefinitionReference(reference);
    const found = parsed && (await this.ctx.store.getTaskDefinition(scope, parsed.family, parsed.revision));
    if (!found)
      return failure(
        "ClientException",
        `Unable to describe task definition. '${reference}' names no registered revision in ${scope.region}; give family, family:revision or the task definition ARN (aws ecs list-task-definitions lists them).`,
      );
    return ok(found);
  }

  list(
    scope: Scope,
    query: { familyPrefix?: string; status?: TaskDefinitionStatus },
  ): Promise<EcsTaskDefinitionRecord[]> {
    return this.ctx.store.listTaskDefinitions(scope, query);
  }

  families(scope: Scope, query: { familyPrefix?: string; status?: TaskDefinitionStatus }): Promise<string[]> {
    return this.ctx.store.listTaskDefinitionFamilies(scope, query);
  }

  /** DeregisterTaskDefinition: the revision becomes INACTIVE; running tasks and services keep it. */
  async deregister(scope: Scope, reference: string): Promise<EcsResult<EcsTaskDefinitionRecord>> {
    const parsed = parseTaskDefinitionReference(reference);
    if (parsed?.revision === undefined)
      return failure(
        "ClientException",
        `The task definition '${reference}' needs a revision to be deregistered; give family:revision or the task definition ARN.`,
      );
    const found = await this.resolve(scope, reference);
    if (!found.ok) return found;
    if (found.value.taskDefinition.status !== "ACTIVE") return found;
    const record: EcsTaskDefinitionRecord = {
      ...found.value,
      taskDefinition: {
        ...found.value.taskDefinition,
        status: "INACTIVE",
        deregisteredAt: this.ctx.clock.now(),
      },
    };
    await this.ctx.store.updateTaskDefinition(record);
    return ok(record);
  }
}

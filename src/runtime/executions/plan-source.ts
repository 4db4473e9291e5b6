import type { ExecutionPlan } from "../../engine/plan.js";
import { planExecution as compile } from "../../engine/plan-execution.js";
import type { TimeoutPolicy } from "../../engine/timeouts.js";
import type { ActionTypeCatalog } from "../../model/action-types/action-type.js";
import type { ActionDeclaration } from "../../model/declaration.js";
import type { ProviderRegistry } from "../../providers/types.js";
import type { PipelineRecord, PipelineStore, Scope } from "../../store/types.js";

/** Plans by pipeline version: compiled once, cached (versions never change once stored). */
export interface PlanSource {
  /** The current version with its plan; undefined when the pipeline does not exist. */
  current(scope: Scope, name: string): Promise<{ record: PipelineRecord; plan: ExecutionPlan } | undefined>;
  /**
   * The current version's plan alone: one small read (the version number) when that version's
   * plan is cached, which every transaction asks for.
   */
  currentPlan(scope: Scope, name: string): Promise<ExecutionPlan | undefined>;
  /**
   * Forgets the plans of a scope: its custom action types changed, and a plan compiled before
   * says how to dispatch actions of types that may be gone (or back).
   */
  forgetScope(scope: Scope): void;
  /** The plan of a stored version; undefined when that version does not exist (the pipeline was deleted). */
  version(scope: Scope, name: string, version: number): Promise<ExecutionPlan | undefined>;
}

export interface PlanSourceDeps {
  readonly pipelines: PipelineStore;
  readonly catalogFor: (scope: Scope) => Promise<ActionTypeCatalog>;
  readonly registry: ProviderRegistry;
  readonly timeouts: TimeoutPolicy;
}

const CACHE_SIZE = 1000;

export function createPlanSource(deps: PlanSourceDeps): PlanSource {
  const cache = new Map<string, ExecutionPlan>();

  const keyOf = (scope: Scope, name: string, version: number) =>
    `${scope.accountId}/${scope.region}/${name}/${version}`;

  async function planOf(record: PipelineRecord): Promise<ExecutionPlan> {
    const key = keyOf(record.scope, record.name, record.version);
    const cached = cache.get(key);
    if (cached) return cached;
    const catalog = await deps.catalogFor(record.scope);
    const plan = compile(record.declaration, {
      region: record.scope.region,
      catalog,
      timeouts: deps.timeouts,
      dispatchFor: (action) => dispatchFor(action, catalog, deps.registry),
    });
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(key, plan);
    return plan;
  }

  return {
    async current(scope, name) {
      const record = await deps.pipelines.get(scope, name);
      return record ? { record, plan: await planOf(record) } : undefined;
    },
    forgetScope(scope) {
      const prefix = `${scope.accountId}/${scope.region}/`;
      for (const key of [...cache.keys()]) if (key.startsWith(prefix)) cache.delete(key);
    },
    async currentPlan(scope, name) {
      const version = await deps.pipelines.currentVersion(scope, name);
      return version === undefined ? undefined : this.version(scope, name, version);
    },
    async version(scope, name, version) {
      // Versions never change once stored, so a cached plan needs no read (the common case:
      // every transaction asks for the plans of the executions it loaded).
      const cached = cache.get(keyOf(scope, name, version));
      if (cached) return cached;
      const record = await deps.pipelines.get(scope, name, version);
      return record ? planOf(record) : undefined;
    },
  };
}

/** Who serves an action: a provider in this process, an external job worker, or nobody yet. */
export function dispatchFor(
  action: ActionDeclaration,
  catalog: ActionTypeCatalog,
  registry: ProviderRegistry,
): { dispatch: ExecutionPlan["stages"][number]["actions"][number]["dispatch"]; reason?: string } {
  const id = action.actionTypeId;
  if (registry.find(id)) return { dispatch: "provider" };
  if (id.owner === "Custom") {
    return catalog.find(id)
      ? { dispatch: "jobWorker" }
      : {
          dispatch: "unavailable",
          reason: `Custom action type ${id.category}/${id.provider}/${id.version} no longer exists (DeleteCustomActionType); recreate it or change the action`,
        };
  }
  return {
    dispatch: "unavailable",
    reason: `Pipewright cannot run ${id.owner} ${id.category} actions of provider '${id.provider}' yet, so action '${action.name}' failed; docs/compatibility.md lists the providers it runs`,
  };
}

import type { ExecutionPlan } from "../../engine/plan.js";
import type { PipelineStore, Scope } from "../../store/types.js";
import type { PlanSource } from "../executions/plan-source.js";

/**
 * The current plan of every pipeline in a scope, for matching source events. Listing costs one
 * store page per 500 pipelines plus a point read each; plans come from the version cache.
 */
export async function currentPlans(
  pipelines: PipelineStore,
  plans: PlanSource,
  scope: Scope,
): Promise<ExecutionPlan[]> {
  const out: ExecutionPlan[] = [];
  let after: string | undefined;
  do {
    const page = await pipelines.list(scope, after === undefined ? { limit: 500 } : { after, limit: 500 });
    for (const summary of page.items) {
      const plan = await plans.version(scope, summary.name, summary.version);
      if (plan) out.push(plan);
    }
    after = page.nextAfter;
  } while (after !== undefined);
  return out;
}

import type { ConditionRun, ExecutionState, RuleRun } from "./execution-state.js";
import type { ConditionPlan, RulePlan } from "./plan.js";
import { resolveMap } from "./variables.js";

/**
 * Evaluates a condition now. A condition is met when every rule succeeds; the stage applies the
 * condition's result only when it is not met (AWS: "the stage performs the specified result only
 * when the condition fails").
 */
export function evaluateCondition(
  state: ExecutionState,
  condition: ConditionPlan,
  at: number,
  newId: () => string,
): ConditionRun {
  const rules = condition.rules.map((rule) => evaluateRule(state, rule, newId()));
  const failed = rules.filter((r) => r.status !== "Succeeded");
  return {
    status: failed.length === 0 ? "Succeeded" : "Failed",
    summary:
      failed.length === 0
        ? `All ${rules.length} rule(s) succeeded`
        : `Rule ${failed.map((r) => `'${r.ruleName}'`).join(", ")} failed: ${failed[0]?.summary}`,
    at,
    rules,
  };
}

function evaluateRule(state: ExecutionState, rule: RulePlan, ruleExecutionId: string): RuleRun {
  const base = {
    ruleName: rule.name,
    ruleExecutionId,
    provider: rule.provider,
    configuration: rule.configuration,
  };
  const resolved = resolveMap(state, rule.configuration);
  if (!resolved.ok) {
    return {
      ...base,
      resolvedConfiguration: rule.configuration,
      status: "Failed",
      summary: `${resolved.reference} in ${resolved.key} could not be resolved: ${resolved.reason}`,
    };
  }
  const config = resolved.value;
  if (rule.provider !== "VariableCheck") {
    return {
      ...base,
      resolvedConfiguration: config,
      status: "Failed",
      summary: `Pipewright cannot evaluate ${rule.provider} rules`,
    };
  }
  const check = variableCheck(config.Variable ?? "", config.Operator ?? "", config.Value ?? "");
  return {
    ...base,
    resolvedConfiguration: config,
    status: check.ok ? "Succeeded" : "Failed",
    summary: check.summary,
  };
}

/** VariableCheck: `Variable` (already resolved) against `Value` with EQ, NE, CONTAINS or MATCHES. */
export function variableCheck(
  actual: string,
  operator: string,
  expected: string,
): { ok: boolean; summary: string } {
  const show = `'${actual}' ${operator} '${expected}'`;
  switch (operator) {
    case "EQ":
      return { ok: actual === expected, summary: show };
    case "NE":
      return { ok: actual !== expected, summary: show };
    case "CONTAINS":
      return { ok: actual.includes(expected), summary: show };
    case "MATCHES": {
      let regex: RegExp;
      try {
        // Java's String.matches: the whole value must match.
        regex = new RegExp(`^(?:${expected})$`, "u");
      } catch {
        return { ok: false, summary: `Value '${expected}' is not a valid regular expression` };
      }
      return { ok: regex.test(actual), summary: show };
    }
    default:
      return { ok: false, summary: `Operator '${operator}' is not one of EQ, NE, CONTAINS, MATCHES` };
  }
}

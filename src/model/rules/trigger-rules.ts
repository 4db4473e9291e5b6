import type { ValidationIssue } from "../validation-issue.js";
import { issue, type Rule } from "./rule-context.js";

const RULE_PROVIDERS = ["VariableCheck", "LambdaInvoke", "CloudWatchAlarm", "DeploymentWindow", "Commands"];

/** V2 triggers (P14) and stage conditions. */
export const triggerRules: Rule = ({ decl }) => {
  const out: ValidationIssue[] = [];
  const seen = new Set<string>();
  (decl.triggers ?? []).forEach((t, ti) => {
    const path = `pipeline.triggers[${ti}].gitConfiguration`;
    const name = t.gitConfiguration.sourceActionName;
    const action = decl.stages[0]?.actions.find((a) => a.name === name);
    if (!action) {
      out.push(
        issue(
          `${path}.sourceActionName`,
          "TriggerSourceActionNotFound",
          "InvalidStructureException",
          `Trigger names source action '${name}', which is not an action of the first stage`,
        ),
      );
    } else if (action.actionTypeId.provider !== "CodeStarSourceConnection") {
      out.push(
        issue(
          `${path}.sourceActionName`,
          "TriggerSourceNotConnection",
          "InvalidStructureException",
          `Trigger source action '${name}' uses provider '${action.actionTypeId.provider}'; triggers need a CodeStarSourceConnection source action`,
        ),
      );
    }
    if (seen.has(name)) {
      out.push(
        issue(
          `${path}.sourceActionName`,
          "DuplicateTrigger",
          "InvalidStructureException",
          `Source action '${name}' has more than one trigger; use one trigger with several filters`,
        ),
      );
    }
    seen.add(name);
    (t.gitConfiguration.push ?? []).forEach((p, pi) => {
      if (p.tags && (p.branches || p.filePaths)) {
        out.push(
          issue(
            `${path}.push[${pi}]`,
            "InvalidPushFilter",
            "InvalidStructureException",
            "A push filter can hold tags alone, or branches with optional filePaths, not both",
          ),
        );
      }
      if (!p.tags && !p.branches) {
        out.push(
          issue(
            `${path}.push[${pi}]`,
            "InvalidPushFilter",
            "InvalidStructureException",
            "A push filter needs tags or branches",
          ),
        );
      }
    });
  });
  decl.stages.forEach((s, si) => {
    const hooks = [
      ["beforeEntry", s.beforeEntry?.conditions ?? [], ["FAIL", "SKIP"]],
      ["onSuccess", s.onSuccess?.conditions ?? [], ["ROLLBACK", "FAIL"]],
      ["onFailure", s.onFailure?.conditions ?? [], ["ROLLBACK", "FAIL", "RETRY"]],
    ] as const;
    for (const [hook, conditions, results] of hooks) {
      conditions.forEach((c, ci) => {
        const path = `pipeline.stages[${si}].${hook}.conditions[${ci}]`;
        if (c.result && !(results as readonly string[]).includes(c.result)) {
          out.push(
            issue(
              `${path}.result`,
              "InvalidConditionResult",
              "InvalidStructureException",
              `${hook} conditions of stage '${s.name}' cannot use result ${c.result}; use ${results.join(" or ")}`,
            ),
          );
        }
        (c.rules ?? []).forEach((r, ri) => {
          if (!RULE_PROVIDERS.includes(r.ruleTypeId.provider)) {
            out.push(
              issue(
                `${path}.rules[${ri}].ruleTypeId.provider`,
                "UnknownRuleType",
                "InvalidStructureException",
                `Rule type '${r.ruleTypeId.provider}' does not exist; use one of ${RULE_PROVIDERS.join(", ")}`,
              ),
            );
          } else if (
            c.result === "SKIP" &&
            !["VariableCheck", "LambdaInvoke"].includes(r.ruleTypeId.provider)
          ) {
            out.push(
              issue(
                `${path}.rules[${ri}]`,
                "SkipNotSupported",
                "InvalidStructureException",
                `Result SKIP works only with VariableCheck and LambdaInvoke rules, not '${r.ruleTypeId.provider}'`,
              ),
            );
          }
        });
      });
    }
    if (s.onFailure?.result === "RETRY" && s.onFailure.conditions?.length) {
      out.push(
        issue(
          `pipeline.stages[${si}].onFailure`,
          "RetryWithConditions",
          "InvalidStructureException",
          `Stage '${s.name}' combines automatic RETRY with onFailure conditions, which AWS does not allow`,
        ),
      );
    }
  });
  return out;
};

import type { ValidationIssue } from "../validation-issue.js";
import { issue, type Rule } from "./rule-context.js";

const RULE_PROVIDERS = ["VariableCheck", "LambdaInvoke", "CloudWatchAlarm", "DeploymentWindow", "Commands"];

/**
 * The rule types Pipewright evaluates (engine/conditions.ts). The others need services it does
 * not run (Lambda, CloudWatch alarms, a CodeBuild-run command, a deployment calendar), so a
 * pipeline using them is refused instead of running with a condition silently skipped.
 */
export const EVALUATED_RULE_TYPES: readonly string[] = ["VariableCheck"];
const VARIABLE_CHECK_OPERATORS = ["EQ", "NE", "CONTAINS", "MATCHES"];

/** Stage conditions (beforeEntry, onSuccess, onFailure) and their rules (spec §5.10). */
export const conditionRules: Rule = ({ decl }) => {
  const out: ValidationIssue[] = [];
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
          } else if (!EVALUATED_RULE_TYPES.includes(r.ruleTypeId.provider)) {
            out.push(
              issue(
                `${path}.rules[${ri}].ruleTypeId.provider`,
                "RuleTypeNotSupported",
                "InvalidStructureException",
                `Rule '${r.name}' uses ${r.ruleTypeId.provider}, which Pipewright cannot evaluate; it evaluates ${EVALUATED_RULE_TYPES.join(", ")} rules only (docs/compatibility.md)`,
              ),
            );
          } else if (r.ruleTypeId.provider === "VariableCheck") {
            const config = r.configuration ?? {};
            for (const key of ["Variable", "Operator", "Value"]) {
              if (config[key] === undefined) {
                out.push(
                  issue(
                    `${path}.rules[${ri}].configuration.${key}`,
                    "MissingRuleConfiguration",
                    "InvalidStructureException",
                    `VariableCheck rule '${r.name}' is missing required configuration '${key}'`,
                  ),
                );
              }
            }
            if (config.Operator !== undefined && !VARIABLE_CHECK_OPERATORS.includes(config.Operator)) {
              out.push(
                issue(
                  `${path}.rules[${ri}].configuration.Operator`,
                  "InvalidRuleConfiguration",
                  "InvalidStructureException",
                  `VariableCheck rule '${r.name}' has Operator '${config.Operator}'; use one of ${VARIABLE_CHECK_OPERATORS.join(", ")}`,
                ),
              );
            }
          }
          if (c.result === "SKIP" && !["VariableCheck", "LambdaInvoke"].includes(r.ruleTypeId.provider)) {
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

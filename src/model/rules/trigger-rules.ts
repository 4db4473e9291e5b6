import type { ValidationIssue } from "../validation-issue.js";
import { issue, type Rule } from "./rule-context.js";

/** V2 triggers (P14). */
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
  return out;
};

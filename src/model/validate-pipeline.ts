import type { ActionTypeCatalog } from "./action-types/action-type.js";
import type { PipelineDeclaration } from "./declaration.js";
import { actionRules } from "./rules/action-rules.js";
import { artifactRules } from "./rules/artifact-rules.js";
import { conditionRules } from "./rules/condition-rules.js";
import type { Rule } from "./rules/rule-context.js";
import { structureRules } from "./rules/structure-rules.js";
import { triggerRules } from "./rules/trigger-rules.js";
import type { ValidationIssue } from "./validation-issue.js";

const rules: readonly Rule[] = [structureRules, actionRules, artifactRules, triggerRules, conditionRules];

/** Every rule of spec §4.2–§4.3 that needs no other resource; all issues at once. */
export function validatePipeline(
  decl: PipelineDeclaration,
  catalog: ActionTypeCatalog,
  context: { region: string; accountId: string },
): ValidationIssue[] {
  return rules.flatMap((rule) => rule({ decl, catalog, ...context }));
}

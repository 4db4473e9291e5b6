import type { ActionTypeCatalog } from "../action-types/action-type.js";
import type { ActionDeclaration, PipelineDeclaration } from "../declaration.js";
import type { ValidationExceptionType, ValidationIssue } from "../validation-issue.js";

export interface RuleContext {
  readonly decl: PipelineDeclaration;
  readonly catalog: ActionTypeCatalog;
  readonly region: string;
  readonly accountId: string;
}

export type Rule = (ctx: RuleContext) => ValidationIssue[];

export function issue(
  path: string,
  code: string,
  exception: ValidationExceptionType,
  message: string,
  severity: "error" | "warning" = "error",
): ValidationIssue {
  return { path, code, message, severity, exception };
}

export interface ActionAt {
  readonly action: ActionDeclaration;
  readonly stageIndex: number;
  readonly actionIndex: number;
  readonly path: string;
}

export function allActions(decl: PipelineDeclaration): ActionAt[] {
  return decl.stages.flatMap((s, si) =>
    s.actions.map((action, ai) => ({
      action,
      stageIndex: si,
      actionIndex: ai,
      path: `pipeline.stages[${si}].actions[${ai}]`,
    })),
  );
}

/**
 * A problem the user can fix in a pipeline declaration. Validation collects every issue at once;
 * nothing is thrown. The API answers with the `exception` and `message` of the first error and
 * carries the whole list; `pipewright validate` prints `path: message` for each.
 */
export interface ValidationIssue {
  /** Where, as in the user's JSON: `pipeline.stages[1].actions[0].configuration.BranchName`. */
  readonly path: string;
  /** A stable name for the rule, e.g. `DuplicateActionName`; listed in docs/validation.md. */
  readonly code: string;
  /** One sentence the user can act on; AWS's own wording where AWS's is known. */
  readonly message: string;
  readonly severity: "error" | "warning";
  /** The AWS exception the API answers with when this is the first error. */
  readonly exception: ValidationExceptionType;
}

/** The exception types CreatePipeline/UpdatePipeline answer validation problems with. */
export type ValidationExceptionType =
  | "ValidationException"
  | "SerializationException"
  | "InvalidStructureException"
  | "InvalidStageDeclarationException"
  | "InvalidActionDeclarationException"
  | "InvalidBlockerDeclarationException"
  | "LimitExceededException"
  | "InvalidTagsException"
  | "TooManyTagsException";

export function errorsOf(issues: readonly ValidationIssue[]): ValidationIssue[] {
  return issues.filter((i) => i.severity === "error");
}

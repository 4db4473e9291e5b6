import { builtinActionTypes } from "../../model/action-types/builtin-action-types.js";
import { createActionTypeCatalog } from "../../model/action-types/catalog.js";
import type { ActionTypeId } from "../../model/declaration.js";
import { parsePipelineDocument } from "../../model/parse-pipeline-declaration.js";
import { validatePipeline } from "../../model/validate-pipeline.js";
import type { ValidationIssue } from "../../model/validation-issue.js";
import type { CommandIo } from "../output.js";

export interface ValidateOptions {
  readonly file: string;
  readonly json: boolean;
  readonly region: string;
  readonly accountId: string;
  /** Whether a Pipewright server runs a built-in type (the others get CreatePipeline's warning). */
  readonly runs: (id: ActionTypeId) => boolean;
}

/**
 * `pipewright validate FILE`: the same parse and rules as CreatePipeline, offline. Custom action
 * types live on a server, so offline an action of owner Custom is checked for structure only
 * and gets a warning saying so. Exit code 1 when there is any error, 0 otherwise.
 */
export function validateCommand(options: ValidateOptions, io: CommandIo): number {
  let text: string;
  try {
    text = io.readFile(options.file);
  } catch (error) {
    io.stderr(
      `pipewright validate: cannot read ${options.file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`,
    );
    return 2;
  }
  const parsed = parsePipelineDocument(text, options.file);
  const issues: ValidationIssue[] = parsed.ok
    ? [...(parsed.value.warnings ?? []), ...offlineIssues(parsed.value.pipeline, options)]
    : parsed.error;
  const errors = issues.filter((i) => i.severity === "error").length;
  const warnings = issues.length - errors;
  if (options.json) {
    io.stdout(
      `${JSON.stringify({ file: options.file, valid: errors === 0, errors, warnings, issues }, null, 2)}\n`,
    );
  } else {
    for (const issue of issues) {
      const tag = issue.severity === "warning" ? "warning: " : "";
      io.stdout(`${issue.path || "(document)"}: ${tag}${issue.message}\n`);
    }
    const verdict = errors === 0 ? "valid" : "invalid";
    io.stderr(`${options.file}: ${verdict} (${plural(errors, "error")}, ${plural(warnings, "warning")})\n`);
  }
  return errors === 0 ? 0 : 1;
}

function offlineIssues(
  pipeline: Parameters<typeof validatePipeline>[0],
  options: ValidateOptions,
): ValidationIssue[] {
  const customTypes = pipeline.stages
    .flatMap((s) => s.actions)
    .filter((a) => a.actionTypeId.owner === "Custom")
    .map((a) => ({
      id: a.actionTypeId,
      actionConfigurationProperties: Object.keys(a.configuration ?? {}).map((name) => ({
        name,
        required: false,
        key: false,
        secret: false,
      })),
      inputArtifactDetails: { minimumCount: 0, maximumCount: 5 },
      outputArtifactDetails: { minimumCount: 0, maximumCount: 5 },
      executable: true,
    }));
  const builtins = builtinActionTypes.map((spec) => ({ ...spec, executable: options.runs(spec.id) }));
  const catalog = createActionTypeCatalog([...builtins, ...customTypes]);
  const issues = validatePipeline(pipeline, catalog, {
    region: options.region,
    accountId: options.accountId,
  });
  const offline: ValidationIssue[] = customTypes.map((t) => ({
    path: "pipeline",
    code: "CustomActionTypeNotChecked",
    message: `Custom action type ${t.id.category}/${t.id.provider}/${t.id.version} is registered on a server; offline only its structure was checked`,
    severity: "warning",
    exception: "InvalidActionDeclarationException",
  }));
  return [...issues, ...offline];
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

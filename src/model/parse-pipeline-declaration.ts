import { parse as parseYaml, YAMLParseError } from "yaml";
import { err, ok, type Result } from "../lib/result.js";
import { awsConstraintClause, readShape, type ShapeProblem } from "../lib/shape.js";
import type { PipelineDeclaration, Tag } from "./declaration.js";
import { pipelineDeclarationShape, tagShape } from "./declaration-shape.js";
import type { ValidationIssue } from "./validation-issue.js";

/** Reads an untrusted value as a declaration; every shape problem becomes an issue with a path. */
export function parsePipelineDeclaration(
  input: unknown,
  root = "pipeline",
): Result<PipelineDeclaration, ValidationIssue[]> {
  if (input === undefined || input === null) {
    return err([
      {
        path: root,
        code: "MissingMember",
        message: awsConstraintClause({
          kind: "constraint",
          jsonPath: root,
          awsPath: root,
          message: "Member must not be null",
          value: null,
        }),
        severity: "error",
        exception: "ValidationException",
      },
    ]);
  }
  const read = readShape(pipelineDeclarationShape, input, root);
  const issues = read.problems.map(toIssue);
  return read.value === undefined ? err(issues) : ok(read.value);
}

function toIssue(problem: ShapeProblem): ValidationIssue {
  if (problem.kind === "type") {
    return {
      path: problem.jsonPath,
      code: "WrongType",
      message: `${problem.message} at '${problem.jsonPath}'`,
      severity: "error",
      exception: "SerializationException",
    };
  }
  if (problem.kind === "unknown") {
    return {
      path: problem.jsonPath,
      code: "UnknownMember",
      message: problem.message,
      severity: "warning",
      exception: "ValidationException",
    };
  }
  return {
    path: problem.jsonPath,
    code: codeOf(problem.message),
    message: awsConstraintClause(problem),
    severity: "error",
    exception: "ValidationException",
  };
}

function codeOf(clause: string): string {
  if (clause.includes("must not be null")) return "MissingMember";
  if (clause.includes("regular expression")) return "PatternMismatch";
  if (clause.includes("enum value set")) return "InvalidEnumValue";
  if (clause.includes("value greater") || clause.includes("value less")) return "OutOfRange";
  return "InvalidLength";
}

export interface PipelineDocument {
  readonly pipeline: PipelineDeclaration;
  readonly tags?: Tag[];
  /** Warnings about the document around the declaration (a `metadata` section, ...). */
  readonly warnings?: ValidationIssue[];
}

/**
 * `aws codepipeline get-pipeline` answers `{"pipeline": ..., "metadata": ...}`; AWS's guide says
 * to delete the metadata lines before passing that file to update-pipeline (or create-pipeline),
 * which refuse the unknown `metadata` parameter.
 */
function envelopeWarnings(value: object): ValidationIssue[] {
  if (!("metadata" in value)) return [];
  return [
    {
      path: "metadata",
      code: "GetPipelineMetadata",
      message:
        'This file has the \'metadata\' section of get-pipeline output; aws codepipeline update-pipeline and create-pipeline refuse it: delete "metadata" (keep "pipeline") before using the file with --cli-input-json',
      severity: "warning",
      exception: "ValidationException",
    },
  ];
}

/**
 * Reads a file's text: JSON or YAML, either the `{"pipeline": ..., "tags": [...]}` envelope that
 * `aws codepipeline create-pipeline --cli-input-json` takes, or a bare declaration.
 */
export function parsePipelineDocument(
  text: string,
  fileName = "",
): Result<PipelineDocument, ValidationIssue[]> {
  let value: unknown;
  try {
    value = /\.ya?ml$/iu.test(fileName) ? parseYaml(text) : parseJsonOrYaml(text);
  } catch (error) {
    return err([syntaxIssue(error)]);
  }
  const envelope = typeof value === "object" && value !== null && "pipeline" in value;
  const raw = envelope ? (value as { pipeline: unknown }).pipeline : value;
  const parsed = parsePipelineDeclaration(raw, "pipeline");
  const issues: ValidationIssue[] = parsed.ok ? [] : [...parsed.error];
  let tags: Tag[] | undefined;
  const rawTags = envelope ? (value as { tags?: unknown }).tags : undefined;
  if (rawTags !== undefined) {
    tags = Array.isArray(rawTags) ? [] : undefined;
    for (const [i, t] of (Array.isArray(rawTags) ? rawTags : []).entries()) {
      const r = readShape(tagShape, t, `tags[${i}]`);
      if (r.value) tags?.push(r.value);
      else issues.push(...r.problems.map(toIssue));
    }
  }
  const warnings = envelope ? envelopeWarnings(value as object) : [];
  if (!parsed.ok || issues.some((i) => i.severity === "error")) return err([...issues, ...warnings]);
  return ok({
    pipeline: parsed.value,
    ...(tags ? { tags } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
  });
}

function parseJsonOrYaml(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (jsonError) {
    if (/^\s*[{[]/u.test(text)) throw jsonError;
    return parseYaml(text);
  }
}

function syntaxIssue(error: unknown): ValidationIssue {
  let where = "";
  if (error instanceof YAMLParseError && error.linePos?.[0]) {
    where = ` at line ${error.linePos[0].line}, column ${error.linePos[0].col}`;
  }
  return {
    path: "",
    code: "SyntaxError",
    message: `The document is not valid JSON or YAML${where}: ${(error as Error).message.split("\n")[0]}`,
    severity: "error",
    exception: "SerializationException",
  };
}

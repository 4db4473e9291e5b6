/** Helpers for the buildspec parser's tests: build small files and read their outcome. */
import { formatBuildspecIssue, parseBuildspec } from "../parse-buildspec.js";
import type { BuildspecIssue, ParsedBuildspec } from "../types.js";

/** Joins lines into a file (with the final newline editors write). */
export function yaml(...lines: string[]): string {
  return `${lines.join("\n")}\n`;
}

/** A valid file with one build command (lines 1-5), plus the given lines from line 6 on. */
export function withBuild(...lines: string[]): string {
  return yaml("version: 0.2", "phases:", "  build:", "    commands:", "      - make", ...lines);
}

/** The parse of a file that must be valid; throws with every issue otherwise. */
export function parsed(text: string): ParsedBuildspec {
  const result = parseBuildspec(text);
  if (!result.ok) {
    const issues = result.error.map((issue) => formatBuildspecIssue("buildspec.yml", issue));
    throw new Error(`expected a valid buildspec:\n${issues.join("\n")}`);
  }
  return result.value;
}

/** The errors of a file that must be rejected. */
export function errors(text: string): BuildspecIssue[] {
  const result = parseBuildspec(text);
  if (result.ok) throw new Error("expected the buildspec to be rejected");
  return result.error;
}

/** An issue as `line:column path: message`, to assert all of it at once. */
export function describeIssue(issue: BuildspecIssue): string {
  return `${issue.line}:${issue.column} ${issue.path}: ${issue.message}`;
}

/** The only error of a file (see `describeIssue`); throws when there is not exactly one. */
export function onlyError(text: string): string {
  const found = errors(text);
  if (found.length !== 1)
    throw new Error(`expected one error, found:\n${found.map(describeIssue).join("\n")}`);
  return describeIssue(found[0]!);
}

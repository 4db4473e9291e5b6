import type { Document, LineCounter, Node } from "yaml";
import type { BuildspecIssue } from "./types.js";

/**
 * What every buildspec reader shares while walking one file: the YAML document (to resolve
 * aliases), the line counter (to turn offsets into 1-based lines and columns) and the issues
 * found so far. Readers only ever append to `errors` and `warnings`; nothing is thrown.
 */
export interface ParseContext {
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;
  readonly errors: BuildspecIssue[];
  readonly warnings: BuildspecIssue[];
}

/** Turns a character offset into the 1-based position `BuildspecIssue` carries. */
export function positionAt(
  lineCounter: LineCounter,
  offset: number,
): { readonly line: number; readonly column: number } {
  const { line, col } = lineCounter.linePos(offset);
  // LineCounter reports line 0 before its first newline (a one-line file without "\n").
  return line === 0 ? { line: 1, column: offset + 1 } : { line, column: col };
}

/** Where a node starts in the text (0 for a node built without a range). */
export function offsetOf(node: Node): number {
  return node.range?.[0] ?? 0;
}

/** Builds an issue at a character offset. */
export function issueAt(
  lineCounter: LineCounter,
  severity: BuildspecIssue["severity"],
  offset: number,
  path: string,
  message: string,
): BuildspecIssue {
  return { severity, ...positionAt(lineCounter, offset), path, message };
}

/** Records an error at the start of `node`. */
export function errorAt(ctx: ParseContext, node: Node, path: string, message: string): void {
  ctx.errors.push(issueAt(ctx.lineCounter, "error", offsetOf(node), path, message));
}

/** Records a warning at the start of `node`. */
export function warningAt(ctx: ParseContext, node: Node, path: string, message: string): void {
  ctx.warnings.push(issueAt(ctx.lineCounter, "warning", offsetOf(node), path, message));
}

/** Orders issues by position; issues at the same position keep the order they were found in. */
export function sortIssues(issues: readonly BuildspecIssue[]): BuildspecIssue[] {
  return [...issues].sort((a, b) => a.line - b.line || a.column - b.column);
}

/**
 * The path of a key below `parent`, as the user wrote it: `env.variables.FOO`. Keys that are
 * not plain names (report group ARNs, keys with dots or spaces) are bracketed and quoted so the
 * path stays unambiguous: `reports["arn:aws:codebuild:...:report-group/unit"]`.
 */
export function childPath(parent: string, key: string): string {
  if (/^[A-Za-z0-9_-]+$/u.test(key)) return parent === "" ? key : `${parent}.${key}`;
  return `${parent}[${JSON.stringify(key)}]`;
}

/** The path of a list item: `phases.build.commands[2]`. */
export function itemPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}

/** A readonly result type while it is being filled in. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

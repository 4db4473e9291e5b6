import type { Node } from "yaml";
import { err, ok, type Result } from "../lib/result.js";
import { parseArtifacts } from "./parse-artifacts.js";
import { parseCache } from "./parse-cache.js";
import { errorAt, type ParseContext, sortIssues, warningAt } from "./parse-context.js";
import { emptyBuildspecEnv, parseEnv, parseLegacyEnvironmentVariables } from "./parse-env.js";
import { parsePhases } from "./parse-phases.js";
import { parseReports } from "./parse-reports.js";
import { parseProxy, reportBatch, reportUnknownTopLevelKey } from "./top-level-keys.js";
import {
  type Buildspec,
  type BuildspecIssue,
  type BuildspecVersion,
  buildspecPhaseNames,
  type NamedValue,
  type ParsedBuildspec,
} from "./types.js";
import { loadBuildspecDocument } from "./yaml-document.js";
import { entryNode, type MapEntry, readEntries, readScalar } from "./yaml-nodes.js";

/**
 * Parses a buildspec file (spec/buildspec.md §1-§3) without running anything. Every problem
 * found is collected, with a 1-based line and column and a key path, and sorted by position:
 * errors make the result an error (the list holds only errors); warnings (legacy or ignored
 * keys) ride along with a successful parse. Never throws for bad input.
 */
export function parseBuildspec(text: string): Result<ParsedBuildspec, BuildspecIssue[]> {
  const loaded = loadBuildspecDocument(text);
  if (!loaded.ok) return err(sortIssues(loaded.error));
  const { ctx, root } = loaded.value;
  const buildspec = readBuildspec(ctx, root);
  if (ctx.errors.length > 0) return err(sortIssues(ctx.errors));
  return ok({ buildspec, warnings: sortIssues(ctx.warnings) });
}

/** One issue as a compiler-style line: `buildspec.yml:3:5: error: <message>`. */
export function formatBuildspecIssue(fileLabel: string, issue: BuildspecIssue): string {
  return `${fileLabel}:${issue.line}:${issue.column}: ${issue.severity}: ${issue.message}`;
}

function readBuildspec(ctx: ParseContext, root: Node): Buildspec {
  const entries = readEntries(ctx, root, "", root) ?? [];
  const version = readVersion(
    ctx,
    root,
    entries.find((entry) => entry.key === "version"),
  );
  let buildspec: Buildspec = { version: version ?? "0.2", env: emptyBuildspecEnv, phases: {}, reports: [] };
  let legacyVariables: NamedValue[] = [];
  for (const entry of entries) {
    switch (entry.key) {
      case "version":
        break;
      case "run-as": {
        const runAs = readScalar(ctx, entry, { example: "codebuild-user" });
        if (runAs !== undefined) buildspec = { ...buildspec, runAs };
        break;
      }
      case "env":
        if (version === "0.1") {
          warningAt(
            ctx,
            entry.keyNode,
            entry.path,
            "env is a version 0.2 key; it is read, but set version: 0.2 to match",
          );
        }
        buildspec = { ...buildspec, env: parseEnv(ctx, entry) };
        break;
      case "environment_variables":
        if (version !== "0.1") {
          warningAt(
            ctx,
            entry.keyNode,
            entry.path,
            "environment_variables is the version 0.1 name; it is read, but write env: variables: in a version 0.2 buildspec",
          );
        }
        legacyVariables = parseLegacyEnvironmentVariables(ctx, entry);
        break;
      case "proxy":
        parseProxy(ctx, entry);
        break;
      case "batch":
        reportBatch(ctx, entry);
        break;
      case "phases":
        buildspec = { ...buildspec, phases: parsePhases(ctx, entry) };
        break;
      case "reports":
        buildspec = { ...buildspec, reports: parseReports(ctx, entry) };
        break;
      case "artifacts":
        buildspec = { ...buildspec, artifacts: parseArtifacts(ctx, entry) };
        break;
      case "cache":
        buildspec = { ...buildspec, cache: parseCache(ctx, entry) };
        break;
      default:
        reportUnknownTopLevelKey(ctx, entry);
    }
  }
  if (!entries.some((entry) => entry.key === "phases")) reportMissingPhases(ctx, root, entries);
  if (legacyVariables.length === 0) return buildspec;
  // Both blocks in one file: the 0.1 block first, so env.variables (written for 0.2) wins.
  const variables = [...legacyVariables, ...buildspec.env.variables];
  return { ...buildspec, env: { ...buildspec.env, variables } };
}

function readVersion(
  ctx: ParseContext,
  root: Node,
  entry: MapEntry | undefined,
): BuildspecVersion | undefined {
  if (entry === undefined) {
    errorAt(ctx, root, "version", "version is missing; add version: 0.2 as the first line of the buildspec");
    return undefined;
  }
  const text = readScalar(ctx, entry, { example: "0.2" });
  if (text === "0.1" || text === "0.2" || text === undefined) return text;
  const hint = /^[0-9.]+$/u.test(text) ? ` (buildspec versions are 0.1 and 0.2, not ${text})` : "";
  errorAt(
    ctx,
    entryNode(entry),
    entry.path,
    `version ${JSON.stringify(text)} is not a buildspec version${hint}; use version: 0.2, the current format`,
  );
  return undefined;
}

function reportMissingPhases(ctx: ParseContext, root: Node, entries: readonly MapEntry[]): void {
  const names: readonly string[] = buildspecPhaseNames;
  const stray = entries.filter((entry) => names.includes(entry.key)).map((entry) => entry.key);
  const hint =
    stray.length === 0
      ? ""
      : `; ${stray.join(" and ")} ${stray.length === 1 ? "is" : "are"} at the top level: indent ${stray.length === 1 ? "it" : "them"} under a phases: line`;
  errorAt(
    ctx,
    root,
    "phases",
    `phases is missing; a buildspec needs a phases section with at least one of ${buildspecPhaseNames.join(", ")}${hint}`,
  );
}

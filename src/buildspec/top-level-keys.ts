import { errorAt, type ParseContext, warningAt } from "./parse-context.js";
import { buildspecPhaseNames } from "./types.js";
import { closestKey, reportUnknownKey } from "./unknown-key.js";
import { type MapEntry, readEntryEntries, readYesNo } from "./yaml-nodes.js";

/** The keys a buildspec may have at the top level (spec §3.0), plus version 0.1's env block. */
export const topLevelKeys = [
  "version",
  "run-as",
  "env",
  "proxy",
  "batch",
  "phases",
  "reports",
  "artifacts",
  "cache",
] as const;

/** Keys people put at the top level that belong inside a section, and that section. */
const misplaced: Readonly<Record<string, string>> = {
  shell: "env:",
  variables: "env:",
  "parameter-store": "env:",
  "secrets-manager": "env:",
  "exported-variables": "env:",
  "git-credential-helper": "env:",
  commands: "a phase under phases: (for example phases: build:)",
  finally: "a phase under phases: (for example phases: build:)",
  "runtime-versions": "phases: install:",
  "on-failure": "a phase under phases: (for example phases: build:)",
  files: "artifacts:",
  "base-directory": "artifacts:",
  "discard-paths": "artifacts:",
  "exclude-paths": "artifacts:",
  "enable-symlinks": "artifacts:",
  "s3-prefix": "artifacts:",
  "secondary-artifacts": "artifacts:",
  paths: "cache:",
  "fallback-keys": "cache:",
  ...Object.fromEntries(buildspecPhaseNames.map((name) => [name, "phases:"])),
};

/**
 * An unknown top-level key is a warning (CodeBuild's behaviour is not established, spec §3.0),
 * saying where the key belongs when it is a known key in the wrong place.
 */
export function reportUnknownTopLevelKey(ctx: ParseContext, entry: MapEntry): void {
  reportUnknownKey(ctx, entry, {
    severity: "warning",
    where: "at the top level",
    known: topLevelKeys,
    ...misplacedHint(entry.key),
  });
}

function misplacedHint(key: string): { hint?: string } {
  const section = misplaced[key];
  if (section !== undefined) return { hint: `; "${key}" belongs under ${section}` };
  if (closestKey(key, topLevelKeys) !== undefined) return {};
  const close = closestKey(key, Object.keys(misplaced));
  if (close === undefined) return {};
  return { hint: `; did you mean "${close}"? It belongs under ${misplaced[close]}` };
}

/**
 * `batch` is rejected rather than ignored: running a batch buildspec as one build would
 * silently skip the builds it defines.
 */
export function reportBatch(ctx: ParseContext, entry: MapEntry): void {
  errorAt(
    ctx,
    entry.keyNode,
    entry.path,
    "batch builds are not supported by Pipewright yet; remove the batch section and run each build as its own project",
  );
}

/** `proxy` is read (so its yes/no values are checked) and otherwise ignored. */
export function parseProxy(ctx: ParseContext, entry: MapEntry): void {
  for (const child of readEntryEntries(ctx, entry) ?? []) {
    if (child.key === "upload-artifacts" || child.key === "logs") readYesNo(ctx, child);
    else
      reportUnknownKey(ctx, child, {
        severity: "error",
        where: "in proxy",
        known: ["upload-artifacts", "logs"],
      });
  }
  warningAt(
    ctx,
    entry.keyNode,
    entry.path,
    "proxy is ignored: Pipewright uploads artifacts and writes logs itself, without an explicit proxy",
  );
}

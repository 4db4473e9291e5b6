import { isMap, isScalar, type Node } from "yaml";
import { parseOnFailure } from "./on-failure.js";
import { errorAt, type Mutable, type ParseContext, warningAt } from "./parse-context.js";
import {
  type Buildspec,
  type BuildspecPhase,
  type BuildspecPhaseName,
  buildspecPhaseNames,
  type NamedValue,
} from "./types.js";
import { reportUnknownKey } from "./unknown-key.js";
import {
  describeNode,
  entryNode,
  type MapEntry,
  readEntryEntries,
  readScalar,
  readStringList,
} from "./yaml-nodes.js";

const phaseKeys = ["run-as", "on-failure", "runtime-versions", "commands", "finally"] as const;

/**
 * Reads the `phases` section (spec §3.4): the four fixed phase names, each with `run-as`,
 * `on-failure`, `runtime-versions` (install only), `commands` and `finally`.
 */
export function parsePhases(ctx: ParseContext, entry: MapEntry): Buildspec["phases"] {
  const phases: Partial<Record<BuildspecPhaseName, BuildspecPhase>> = {};
  const entries = readEntryEntries(ctx, entry);
  if (entries?.length === 0) {
    errorAt(
      ctx,
      entry.keyNode,
      entry.path,
      `phases is empty; declare at least one of ${buildspecPhaseNames.join(", ")} with its commands`,
    );
  }
  for (const child of entries ?? []) {
    if (isPhaseName(child.key)) phases[child.key] = parsePhase(ctx, child, child.key);
    else {
      reportUnknownKey(ctx, child, {
        severity: "error",
        where: "in phases",
        known: buildspecPhaseNames,
      });
    }
  }
  return phases;
}

function isPhaseName(name: string): name is BuildspecPhaseName {
  return (buildspecPhaseNames as readonly string[]).includes(name);
}

function parsePhase(ctx: ParseContext, entry: MapEntry, name: BuildspecPhaseName): BuildspecPhase {
  const phase: Mutable<BuildspecPhase> = { runtimeVersions: [], commands: [], finally: [] };
  if (entry.value === null && !entry.broken) {
    warningAt(
      ctx,
      entry.keyNode,
      entry.path,
      `phases.${name} is empty and runs no commands; add commands: or remove it`,
    );
  }
  for (const child of readEntryEntries(ctx, entry) ?? []) {
    switch (child.key) {
      case "run-as":
        phase.runAs = readScalar(ctx, child, { example: "codebuild-user" });
        if (phase.runAs === undefined) delete phase.runAs;
        break;
      case "on-failure": {
        const text = readScalar(ctx, child, { example: "ABORT" });
        if (text === undefined) break;
        const onFailure = parseOnFailure(text);
        if (onFailure.ok) phase.onFailure = onFailure.value;
        else errorAt(ctx, entryNode(child), child.path, `${child.path}: ${onFailure.error}`);
        break;
      }
      case "runtime-versions":
        if (name === "install") phase.runtimeVersions = readRuntimeVersions(ctx, child);
        else {
          errorAt(
            ctx,
            child.keyNode,
            child.path,
            `runtime-versions is allowed only in the install phase; move it to phases.install`,
          );
        }
        break;
      case "commands":
        phase.commands = readCommands(ctx, child, "Commands");
        break;
      case "finally":
        phase.finally = readCommands(ctx, child, "Finally");
        break;
      default:
        reportUnknownKey(ctx, child, { severity: "error", where: `in ${entry.path}`, known: phaseKeys });
    }
  }
  return phase;
}

/** runtime -> version, literal text (`python: 3.10` stays "3.10"). */
function readRuntimeVersions(ctx: ParseContext, entry: MapEntry): NamedValue[] {
  const versions: NamedValue[] = [];
  for (const child of readEntryEntries(ctx, entry) ?? []) {
    const version = readScalar(ctx, child, { example: "20" });
    if (version !== undefined) versions.push({ name: child.key, value: version });
  }
  return versions;
}

/**
 * A phase's `commands` or `finally`: a list of strings. A single string is read as one command
 * with a warning. A mapping item is the classic unquoted `": "` mistake and gets AWS's wording.
 */
function readCommands(ctx: ParseContext, entry: MapEntry, label: "Commands" | "Finally"): string[] {
  return (
    readStringList(ctx, entry, {
      scalar: "warn",
      skipEmptyItems: true,
      itemError: (index, item) => commandItemError(entry.path, label, index, item),
    }) ?? []
  );
}

function commandItemError(path: string, label: string, index: number, item: Node): string {
  if (isMap(item)) {
    const example = quotedCommand(item);
    const fix = example === undefined ? "" : `, e.g. - ${example}`;
    return `Expected ${label}[${index}] to be of string type: found subkeys instead; a command containing ': ' must be quoted${fix}`;
  }
  return `${path}[${index}] must be one command string, found ${describeNode(item)}`;
}

/** `echo Build started on: today` rebuilt from a one-pair mapping, quoted for YAML. */
function quotedCommand(item: Node): string | undefined {
  if (!isMap(item) || item.items.length !== 1) return undefined;
  const pair = item.items[0]!;
  if (!isScalar(pair.key)) return undefined;
  const value = pair.value === null || isScalar(pair.value) ? pair.value : undefined;
  if (value === undefined) return undefined;
  const text = `${String(pair.key.value)}:${value === null || value.value === "" ? "" : ` ${String(value.value)}`}`;
  if (!/["\\]/u.test(text)) return `"${text}"`;
  return `'${text.replaceAll("'", "''")}'`;
}

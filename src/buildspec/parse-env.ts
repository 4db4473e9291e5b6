import { errorAt, type Mutable, type ParseContext, warningAt } from "./parse-context.js";
import { parseSecretReference } from "./secret-reference.js";
import type { BuildspecEnv, NamedValue, SecretReference } from "./types.js";
import { reportUnknownKey } from "./unknown-key.js";
import {
  entryNode,
  type MapEntry,
  readEntryEntries,
  readScalar,
  readStringItems,
  readYesNo,
} from "./yaml-nodes.js";

/** `env` with every list empty: what a buildspec without `env` gets. */
export const emptyBuildspecEnv: BuildspecEnv = {
  variables: [],
  parameterStore: [],
  secretsManager: [],
  exportedVariables: [],
  gitCredentialHelper: false,
};

const envKeys = [
  "shell",
  "variables",
  "parameter-store",
  "secrets-manager",
  "exported-variables",
  "git-credential-helper",
] as const;

/**
 * Reads the `env` section (spec §3.1). Variable names must be shell names; `CODEBUILD_` names
 * are accepted with a warning (CodeBuild reserves them); `AWS_` names cannot be exported.
 */
export function parseEnv(ctx: ParseContext, entry: MapEntry): BuildspecEnv {
  const env: Mutable<BuildspecEnv> = { ...emptyBuildspecEnv };
  for (const child of readEntryEntries(ctx, entry) ?? []) {
    switch (child.key) {
      case "shell":
        env.shell = readScalar(ctx, child, { example: "bash" });
        break;
      case "variables":
        env.variables = readVariables(ctx, child);
        break;
      case "parameter-store":
        env.parameterStore = readParameters(ctx, child);
        break;
      case "secrets-manager":
        env.secretsManager = readSecrets(ctx, child);
        break;
      case "exported-variables":
        env.exportedVariables = readExportedVariables(ctx, child);
        break;
      case "git-credential-helper":
        env.gitCredentialHelper = readYesNo(ctx, child) ?? false;
        break;
      default:
        reportUnknownKey(ctx, child, { severity: "error", where: "in env", known: envKeys });
    }
  }
  if (env.shell === undefined) delete env.shell;
  return env;
}

/**
 * Reads version 0.1's `environment_variables:` section, whose only key is `plaintext:` (the
 * 0.2 `env.variables`).
 */
export function parseLegacyEnvironmentVariables(ctx: ParseContext, entry: MapEntry): NamedValue[] {
  let variables: NamedValue[] = [];
  for (const child of readEntryEntries(ctx, entry) ?? []) {
    if (child.key === "plaintext") variables = readVariables(ctx, child);
    else
      reportUnknownKey(ctx, child, {
        severity: "error",
        where: "in environment_variables",
        known: ["plaintext"],
      });
  }
  return variables;
}

/** Plain-text variables: values are literal text, an empty value is "". */
function readVariables(ctx: ParseContext, entry: MapEntry): NamedValue[] {
  const variables: NamedValue[] = [];
  for (const child of readEntryEntries(ctx, entry) ?? []) {
    const nameOk = checkVariableName(ctx, child, entry.path);
    const value = readScalar(ctx, child, { allowEmpty: true });
    if (nameOk && value !== undefined) variables.push({ name: child.key, value });
  }
  return variables;
}

/** Variable name -> SSM parameter name; the parameter name must be given. */
function readParameters(ctx: ParseContext, entry: MapEntry): NamedValue[] {
  const values: NamedValue[] = [];
  for (const child of readEntryEntries(ctx, entry) ?? []) {
    const nameOk = checkVariableName(ctx, child, entry.path);
    const value = readScalar(ctx, child, { example: "/my-app/db-host" });
    if (nameOk && value !== undefined) values.push({ name: child.key, value });
  }
  return values;
}

function readSecrets(ctx: ParseContext, entry: MapEntry): BuildspecEnv["secretsManager"] {
  const secrets: { name: string; reference: SecretReference }[] = [];
  for (const child of readEntryEntries(ctx, entry) ?? []) {
    const nameOk = checkVariableName(ctx, child, entry.path);
    const value = readScalar(ctx, child, { example: "prod/db:password" });
    if (value === undefined) continue;
    const reference = parseSecretReference(value);
    if (!reference.ok) errorAt(ctx, entryNode(child), child.path, `${child.path}: ${reference.error}`);
    else if (nameOk) secrets.push({ name: child.key, reference: reference.value });
  }
  return secrets;
}

function readExportedVariables(ctx: ParseContext, entry: MapEntry): string[] {
  const names: string[] = [];
  for (const { text: name, node, path } of readStringItems(ctx, entry, { scalar: "warn" }) ?? []) {
    if (!validVariableName(name)) {
      errorAt(ctx, node, path, invalidNameMessage(name, entry.path));
    } else if (name.startsWith("AWS_")) {
      errorAt(
        ctx,
        node,
        path,
        `${name} cannot be exported: CodeBuild does not export variables whose names start with AWS_; copy the value into another variable and export that`,
      );
    } else {
      names.push(name);
    }
  }
  return names;
}

function checkVariableName(ctx: ParseContext, entry: MapEntry, section: string): boolean {
  if (!validVariableName(entry.key)) {
    errorAt(ctx, entry.keyNode, entry.path, invalidNameMessage(entry.key, section));
    return false;
  }
  if (entry.key.startsWith("CODEBUILD_")) {
    warningAt(
      ctx,
      entry.keyNode,
      entry.path,
      `${entry.key} starts with CODEBUILD_, a prefix CodeBuild reserves for its own variables; choose another name`,
    );
  }
  return true;
}

/** Letters, digits and underscores, not starting with a digit: a name every shell accepts. */
export function validVariableName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/u.test(name);
}

function invalidNameMessage(name: string, section: string): string {
  return `${JSON.stringify(name)} in ${section} is not a valid environment variable name; use letters, digits and underscores, not starting with a digit`;
}

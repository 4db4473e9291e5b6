/**
 * A parsed buildspec (spec/buildspec.md §3): what CodeBuild reads from `buildspec.yml`. Every
 * scalar keeps its literal YAML text (`python: 3.10` stays "3.10", `version: 0.2` stays "0.2"),
 * because CodeBuild's Go agent reads them as strings. Lists keep the file's order; maps keep it
 * too (as arrays of entries) because environment variables and report groups are applied in
 * the order written.
 */

export type BuildspecVersion = "0.1" | "0.2";

/** The buildspec's phase names, in the order they run. */
export const buildspecPhaseNames = ["install", "pre_build", "build", "post_build"] as const;
export type BuildspecPhaseName = (typeof buildspecPhaseNames)[number];

/**
 * What happens when a phase fails (`on-failure`). Absent means CodeBuild's default transition
 * (spec §4.5). RETRY forms: `RETRY` (3 retries), `RETRY-<count>`, `RETRY-<regex>` (3 retries,
 * only when the failure message matches), `RETRY-<count>-<regex>`.
 */
export type OnFailure =
  | { readonly kind: "ABORT" }
  | { readonly kind: "CONTINUE" }
  | { readonly kind: "RETRY"; readonly count: number; readonly pattern?: string };

export interface BuildspecPhase {
  readonly runAs?: string;
  readonly onFailure?: OnFailure;
  /** install only: runtime -> version, literal text (e.g. `python` -> `3.10`). */
  readonly runtimeVersions: readonly NamedValue[];
  /** `commands:` with a null value is allowed (real files have it) and means no commands. */
  readonly commands: readonly string[];
  readonly finally: readonly string[];
}

export interface NamedValue {
  readonly name: string;
  readonly value: string;
}

/** `secret-id[:json-key[:version-stage[:version-id]]]` of `env.secrets-manager`. */
export interface SecretReference {
  readonly secretId: string;
  readonly jsonKey?: string;
  readonly versionStage?: string;
  readonly versionId?: string;
}

export interface BuildspecEnv {
  /** `env.shell`: `bash`, `/bin/sh`, ... Absent: `sh`. */
  readonly shell?: string;
  /** `env.variables` (0.2) or `environment_variables.plaintext` (0.1), literal values. */
  readonly variables: readonly NamedValue[];
  /** Variable name -> SSM parameter name. */
  readonly parameterStore: readonly NamedValue[];
  readonly secretsManager: readonly { readonly name: string; readonly reference: SecretReference }[];
  readonly exportedVariables: readonly string[];
  readonly gitCredentialHelper: boolean;
}

/** One artifact definition: the top-level `artifacts` or one `secondary-artifacts` entry. */
export interface ArtifactSpec {
  /** Globs relative to the primary source directory or `baseDirectory`. Never empty. */
  readonly files: readonly string[];
  readonly name?: string;
  readonly discardPaths: boolean;
  readonly baseDirectory?: string;
  readonly excludePaths: readonly string[];
  readonly enableSymlinks: boolean;
  readonly s3Prefix?: string;
}

export interface BuildspecArtifacts extends ArtifactSpec {
  /** `secondary-artifacts`, identifier -> definition, in file order. */
  readonly secondary: readonly { readonly identifier: string; readonly spec: ArtifactSpec }[];
}

export const testReportFormats = [
  "JUNITXML",
  "CUCUMBERJSON",
  "NUNITXML",
  "NUNIT3XML",
  "TESTNGXML",
  "VISUALSTUDIOTRX",
] as const;
export const coverageReportFormats = ["CLOVERXML", "COBERTURAXML", "JACOCOXML", "SIMPLECOV"] as const;
export type ReportFileFormat = (typeof testReportFormats)[number] | (typeof coverageReportFormats)[number];

export interface ReportGroupSpec {
  /** The key under `reports:`: a report group name or ARN. */
  readonly group: string;
  readonly files: readonly string[];
  readonly baseDirectory?: string;
  readonly discardPaths: boolean;
  /** Upper-cased; default JUNITXML. */
  readonly fileFormat: ReportFileFormat;
}

export interface CacheSpec {
  readonly paths: readonly string[];
  readonly key?: string;
  readonly fallbackKeys: readonly string[];
  /** Absent: restore and save. */
  readonly action?: "restore" | "save";
}

export interface Buildspec {
  readonly version: BuildspecVersion;
  readonly runAs?: string;
  readonly env: BuildspecEnv;
  /** Declared phases only; an undeclared phase still runs, with no commands. */
  readonly phases: Readonly<Partial<Record<BuildspecPhaseName, BuildspecPhase>>>;
  readonly reports: readonly ReportGroupSpec[];
  readonly artifacts?: BuildspecArtifacts;
  readonly cache?: CacheSpec;
}

/**
 * A problem in a buildspec file. `line` and `column` are 1-based and point at the offending
 * key or value; `path` is the key path as written (`phases.build.commands[2]`).
 */
export interface BuildspecIssue {
  readonly severity: "error" | "warning";
  readonly line: number;
  readonly column: number;
  readonly path: string;
  readonly message: string;
}

export interface ParsedBuildspec {
  readonly buildspec: Buildspec;
  /** Legacy or unknown keys that were accepted or ignored, each with what Pipewright did. */
  readonly warnings: readonly BuildspecIssue[];
}

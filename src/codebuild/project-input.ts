import { isVariableName } from "../buildspec/build-environment.js";
import { err, ok, type Result } from "../lib/result.js";
import type {
  EnvironmentVariable,
  ProjectArtifacts,
  ProjectCache,
  ProjectDocument,
  ProjectEnvironment,
  ProjectSource,
} from "./documents.js";

/**
 * CreateProject / UpdateProject input turned into a stored project, with the checks CodeBuild
 * makes and the ones Pipewright adds for what it cannot run (other source providers, Windows).
 * Problems are InvalidInputException messages. Pure.
 */

/** The Project fields of CreateProject / UpdateProject as the wire carries them (already type-checked). */
export interface ProjectInput {
  readonly name: string;
  readonly description?: string;
  readonly source?: Record<string, unknown>;
  readonly secondarySources?: readonly Record<string, unknown>[];
  readonly sourceVersion?: string;
  readonly secondarySourceVersions?: readonly { sourceIdentifier: string; sourceVersion: string }[];
  readonly artifacts?: Record<string, unknown>;
  readonly secondaryArtifacts?: readonly Record<string, unknown>[];
  readonly cache?: Record<string, unknown>;
  readonly environment?: Record<string, unknown>;
  readonly serviceRole?: string;
  readonly timeoutInMinutes?: number;
  readonly queuedTimeoutInMinutes?: number;
  readonly encryptionKey?: string;
  readonly tags?: readonly { key?: string; value?: string }[];
  /** Every other field of the request (vpcConfig, logsConfig, ...), kept and shown back. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

export type ProjectProblem = { readonly exception: "InvalidInputException"; readonly message: string };

const SUPPORTED_SOURCES = new Set(["CODECOMMIT", "CODEPIPELINE", "S3", "NO_SOURCE"]);
const LINUX_ENVIRONMENTS = new Set([
  "LINUX_CONTAINER",
  "ARM_CONTAINER",
  "LINUX_GPU_CONTAINER",
  "LINUX_LAMBDA_CONTAINER",
  "ARM_LAMBDA_CONTAINER",
  "LINUX_EC2",
  "ARM_EC2",
]);
const IDENTIFIER = /^[A-Za-z0-9_]{1,127}$/;

/** A new project (CreateProject), or `existing` with the input's fields replacing its own (UpdateProject). */
export function projectFromInput(
  input: ProjectInput,
  arn: string,
  existing?: ProjectDocument,
): Result<ProjectDocument, ProjectProblem> {
  const problem = (message: string) => err<ProjectProblem>({ exception: "InvalidInputException", message });
  const source = (input.source ?? existing?.source) as ProjectSource | undefined;
  const artifacts = (input.artifacts ?? existing?.artifacts) as ProjectArtifacts | undefined;
  const environmentInput = input.environment ?? existing?.environment;
  if (!source) return problem("Invalid input: source is required");
  if (!artifacts) return problem("Invalid input: artifacts is required");
  if (!environmentInput) return problem("Invalid input: environment is required");

  const sourceProblem = checkSource(source, "source");
  if (sourceProblem) return problem(sourceProblem);
  const secondarySources = (input.secondarySources ?? existing?.secondarySources ?? []) as ProjectSource[];
  for (const [i, s] of secondarySources.entries()) {
    const p = checkSource(s, `secondarySources[${i}]`);
    if (p) return problem(p);
    if (!s.sourceIdentifier || !IDENTIFIER.test(s.sourceIdentifier)) {
      return problem(
        `Invalid secondary source: sourceIdentifier must be 1 to 127 letters, digits or underscores (secondarySources[${i}])`,
      );
    }
    if (s.type === "CODEPIPELINE")
      return problem("Invalid secondary source: type CODEPIPELINE is not allowed");
  }

  const artifactsProblem = checkArtifacts(artifacts, "artifacts");
  if (artifactsProblem) return problem(artifactsProblem);
  const secondaryArtifacts = (input.secondaryArtifacts ??
    existing?.secondaryArtifacts ??
    []) as ProjectArtifacts[];
  for (const [i, a] of secondaryArtifacts.entries()) {
    const p = checkArtifacts(a, `secondaryArtifacts[${i}]`);
    if (p) return problem(p);
    if (a.type === "CODEPIPELINE") {
      return problem("Invalid secondary artifacts: type CODEPIPELINE is not allowed for secondary artifacts");
    }
    if (!a.artifactIdentifier || !IDENTIFIER.test(a.artifactIdentifier)) {
      return problem(
        `Invalid secondary artifacts: artifactIdentifier must be 1 to 127 letters, digits or underscores (secondaryArtifacts[${i}])`,
      );
    }
  }
  if ((source.type === "CODEPIPELINE") !== (artifacts.type === "CODEPIPELINE")) {
    return problem(
      "Invalid input: source type and artifacts type must both be CODEPIPELINE when either is (a project used by a pipeline)",
    );
  }
  if (source.type === "NO_SOURCE" && !source.buildspec) {
    return problem("Invalid source: buildspec must be set for a project of source type NO_SOURCE");
  }

  const environment = checkEnvironment(environmentInput);
  if (!environment.ok) return problem(environment.error);
  const cache = (input.cache ?? existing?.cache ?? { type: "NO_CACHE" }) as ProjectCache;
  if (cache.type === "S3" && !cache.location)
    return problem("Invalid cache: location is required for cache type S3");

  const timeoutInMinutes = input.timeoutInMinutes ?? existing?.timeoutInMinutes ?? 60;
  const queuedTimeoutInMinutes = input.queuedTimeoutInMinutes ?? existing?.queuedTimeoutInMinutes ?? 480;
  const tags = (input.tags ?? existing?.tags ?? []).map((t) => ({ key: t.key ?? "", value: t.value ?? "" }));
  const description = input.description ?? existing?.description;
  const sourceVersion = input.sourceVersion ?? existing?.sourceVersion;
  const serviceRole = input.serviceRole ?? existing?.serviceRole;
  const encryptionKey = input.encryptionKey ?? existing?.encryptionKey;
  return ok({
    name: input.name,
    arn,
    ...(description === undefined ? {} : { description }),
    source,
    secondarySources,
    ...(sourceVersion === undefined ? {} : { sourceVersion }),
    secondarySourceVersions: input.secondarySourceVersions ?? existing?.secondarySourceVersions ?? [],
    artifacts,
    secondaryArtifacts,
    cache,
    environment: environment.value,
    ...(serviceRole === undefined ? {} : { serviceRole }),
    timeoutInMinutes,
    queuedTimeoutInMinutes,
    ...(encryptionKey === undefined ? {} : { encryptionKey }),
    tags,
    extra: { ...(existing?.extra ?? {}), ...(input.extra ?? {}) },
  });
}

function checkSource(source: ProjectSource, where: string): string | undefined {
  if (!SUPPORTED_SOURCES.has(source.type)) {
    return `Invalid ${where}: source type ${source.type} is not supported by Pipewright; use CODECOMMIT (a repository Pipewright hosts), S3 (a Pipewright bucket), NO_SOURCE or CODEPIPELINE`;
  }
  if (source.type === "CODECOMMIT" && !codeCommitRepositoryOf(source.location ?? "")) {
    return `Invalid ${where}: location must be a repository's clone URL, e.g. http://127.0.0.1:4577/v1/repos/my-repo`;
  }
  if (source.type === "S3" && !s3LocationOf(source.location ?? "")) {
    return `Invalid ${where}: location must be <bucket>/<key of a zip> or arn:aws:s3:::<bucket>/<key>`;
  }
  return undefined;
}

function checkArtifacts(artifacts: ProjectArtifacts, where: string): string | undefined {
  if (artifacts.type === "S3" && !artifacts.location) {
    return `Invalid ${where}: location (a bucket name) is required for artifacts type S3`;
  }
  return undefined;
}

function checkEnvironment(input: Record<string, unknown>): Result<ProjectEnvironment, string> {
  const type = String(input.type ?? "");
  if (!LINUX_ENVIRONMENTS.has(type)) {
    return err(
      `Invalid environment: type ${type} is not supported by Pipewright; builds run Linux shells (use LINUX_CONTAINER)`,
    );
  }
  const variables = (input.environmentVariables ?? []) as EnvironmentVariable[];
  for (const v of variables) {
    if (!isVariableName(v.name)) {
      return err(
        `Invalid environment variable name: ${v.name}; use letters, digits and underscores, not starting with a digit`,
      );
    }
  }
  return {
    ok: true,
    value: {
      ...input,
      type,
      image: String(input.image ?? ""),
      computeType: String(input.computeType ?? ""),
      environmentVariables: variables.map((v) => ({
        name: v.name,
        value: v.value,
        type: v.type ?? "PLAINTEXT",
      })),
      privilegedMode: input.privilegedMode === true,
    },
  };
}

/** The repository name in a CodeCommit clone URL (`.../v1/repos/<name>`), if it is one. */
export function codeCommitRepositoryOf(location: string): string | undefined {
  const m = /^(?:https?|codecommit):\/\/[^/]*\/v1\/repos\/([A-Za-z0-9._-]{1,100})\/?$/.exec(location);
  return m?.[1];
}

/** Bucket and key of an S3 source location. */
export function s3LocationOf(location: string): { bucket: string; key: string } | undefined {
  const m = /^(?:arn:aws[a-z-]*:s3:::)?([^/]+)\/(.+)$/.exec(location);
  return m?.[1] && m[2] ? { bucket: m[1], key: m[2] } : undefined;
}

import { err, ok, type Result } from "../../lib/result.js";
import { builtinActionTypeCatalog } from "../action-types/catalog.js";
import type { ActionTypeId } from "../declaration.js";
import { type EcsDeployError, ecsDeployError } from "./errors.js";
import { DEFAULT_IMAGE_DEFINITIONS_FILE } from "./image-definitions.js";

export const ECS_ACTION_TYPE: ActionTypeId = {
  category: "Deploy",
  owner: "AWS",
  provider: "ECS",
  version: "1",
};
export const CODE_DEPLOY_TO_ECS_ACTION_TYPE: ActionTypeId = {
  category: "Deploy",
  owner: "AWS",
  provider: "CodeDeployToECS",
  version: "1",
};

/** The ECS action's default and largest DeploymentTimeout, in minutes (spec A.1). */
export const ECS_DEPLOYMENT_TIMEOUT_DEFAULT_MINUTES = 60;
export const ECS_DEPLOYMENT_TIMEOUT_MAX_MINUTES = 60;

export interface EcsDeployConfiguration {
  readonly clusterName: string;
  readonly serviceName: string;
  readonly fileName: string;
  readonly deploymentTimeoutMinutes: number;
}

export interface CodeDeployToEcsConfiguration {
  readonly applicationName: string;
  readonly deploymentGroupName: string;
  readonly taskDefinitionTemplateArtifact: string;
  readonly taskDefinitionTemplatePath: string;
  readonly appSpecTemplateArtifact: string;
  readonly appSpecTemplatePath: string;
  /** Image<N>ArtifactName / Image<N>ContainerName pairs, N from 1 to 4, in order. */
  readonly images: readonly { index: number; artifactName: string; placeholder: string }[];
}

type Raw = Readonly<Record<string, string | undefined>>;

/** The required property names, as the built-in catalogue declares them (one source of truth). */
function missingRequired(id: ActionTypeId, raw: Raw): string[] {
  const spec = builtinActionTypeCatalog.find(id);
  return (spec?.actionConfigurationProperties ?? [])
    .filter((p) => p.required && (raw[p.name] === undefined || raw[p.name] === ""))
    .map((p) => p.name);
}

function configError(message: string): EcsDeployError {
  return ecsDeployError("InvalidConfiguration", message);
}

/**
 * The ECS action's configuration (spec A.1): ClusterName and ServiceName required, FileName
 * default imagedefinitions.json, DeploymentTimeout a whole number of minutes from 1 to 60
 * (default 60), given as a string.
 */
export function parseEcsDeployConfiguration(raw: Raw): Result<EcsDeployConfiguration, EcsDeployError> {
  const missing = missingRequired(ECS_ACTION_TYPE, raw);
  if (missing.length > 0)
    return err(
      configError(
        `The ECS action needs configuration ${missing.join(" and ")}: the cluster and service to deploy to.`,
      ),
    );
  const timeout = raw.DeploymentTimeout;
  let minutes = ECS_DEPLOYMENT_TIMEOUT_DEFAULT_MINUTES;
  if (timeout !== undefined && timeout !== "") {
    if (
      !/^\d+$/u.test(timeout.trim()) ||
      Number(timeout) < 1 ||
      Number(timeout) > ECS_DEPLOYMENT_TIMEOUT_MAX_MINUTES
    )
      return err(
        configError(
          `DeploymentTimeout '${timeout}' is not valid: give a whole number of minutes from 1 to ${ECS_DEPLOYMENT_TIMEOUT_MAX_MINUTES}, as a string (e.g. "15").`,
        ),
      );
    minutes = Number(timeout);
  }
  const fileName = raw.FileName || DEFAULT_IMAGE_DEFINITIONS_FILE;
  if (fileName.split(/[\\/]/u).includes(".."))
    return err(configError(`FileName '${fileName}' must name a file inside the input artifact (no '..').`));
  return ok({
    clusterName: raw.ClusterName!,
    serviceName: raw.ServiceName!,
    fileName,
    deploymentTimeoutMinutes: minutes,
  });
}

/**
 * CodeDeployToECS's configuration (spec A.4). `inputArtifacts` are the action's input artifact
 * names: every *Artifact / Image<N>ArtifactName must be one of them. An Image<N>ArtifactName
 * needs its Image<N>ContainerName and the other way round.
 */
export function parseCodeDeployToEcsConfiguration(
  raw: Raw,
  inputArtifacts: readonly string[],
): Result<CodeDeployToEcsConfiguration, EcsDeployError> {
  const missing = missingRequired(CODE_DEPLOY_TO_ECS_ACTION_TYPE, raw);
  if (missing.length > 0)
    return err(configError(`The CodeDeployToECS action needs configuration ${missing.join(", ")}.`));
  const known = (key: string) => {
    const name = raw[key]!;
    return inputArtifacts.includes(name)
      ? undefined
      : configError(
          `${key} '${name}' is not an input artifact of this action; its input artifacts are: ${inputArtifacts.map((a) => `'${a}'`).join(", ") || "none"}.`,
        );
  };
  for (const key of ["TaskDefinitionTemplateArtifact", "AppSpecTemplateArtifact"]) {
    const problem = known(key);
    if (problem) return err(problem);
  }
  const images: { index: number; artifactName: string; placeholder: string }[] = [];
  for (let n = 1; n <= 4; n++) {
    const artifact = raw[`Image${n}ArtifactName`];
    const container = raw[`Image${n}ContainerName`];
    if (!artifact && !container) continue;
    if (!artifact || !container)
      return err(
        configError(
          `Image${n}ArtifactName and Image${n}ContainerName go together: set both (the artifact with imageDetail.json, and the placeholder name written <NAME> in the task definition template) or neither.`,
        ),
      );
    const problem = known(`Image${n}ArtifactName`);
    if (problem) return err(problem);
    if (!/^[A-Za-z0-9_.-]+$/u.test(container))
      return err(
        configError(
          `Image${n}ContainerName '${container}' must be a placeholder name of letters, digits, '_', '.' or '-' (written <${container}> in the template).`,
        ),
      );
    images.push({ index: n, artifactName: artifact, placeholder: container });
  }
  for (const key of ["TaskDefinitionTemplatePath", "AppSpecTemplatePath"]) {
    if ((raw[key] ?? "").split(/[\\/]/u).includes(".."))
      return err(configError(`${key} '${raw[key]}' must name a file inside its artifact (no '..').`));
  }
  return ok({
    applicationName: raw.ApplicationName!,
    deploymentGroupName: raw.DeploymentGroupName!,
    taskDefinitionTemplateArtifact: raw.TaskDefinitionTemplateArtifact!,
    taskDefinitionTemplatePath: raw.TaskDefinitionTemplatePath || "taskdef.json",
    appSpecTemplateArtifact: raw.AppSpecTemplateArtifact!,
    appSpecTemplatePath: raw.AppSpecTemplatePath || "appspec.yaml",
    images,
  });
}

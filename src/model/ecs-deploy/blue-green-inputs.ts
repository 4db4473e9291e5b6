import { err, ok, type Result } from "../../lib/result.js";
import type { CodeDeployToEcsConfiguration } from "./configuration.js";
import type { EcsDeployError } from "./errors.js";
import { type ArtifactFiles, readImageDetail } from "./image-definitions.js";
import type { RegisterTaskDefinitionInput } from "./task-definition.js";
import { readTemplateFile } from "./template-files.js";
import {
  type EcsAppSpec,
  renderAppSpecTemplate,
  renderTaskDefinitionTemplate,
  type TemplateImage,
} from "./templates.js";

/** CodeDeployToECS's inputs, rendered and checked before anything is registered. */
export interface BlueGreenInputs {
  readonly taskDefinition: RegisterTaskDefinitionInput;
  /** The AppSpec template's text (rendered again with the registered ARN for the log). */
  readonly appSpecText: string;
  /** The AppSpec read with a stand-in ARN: the target container and port. */
  readonly appSpec: EcsAppSpec;
  readonly images: readonly TemplateImage[];
  readonly containerNames: readonly string[];
}

/** The input artifacts a configuration reads, each once. */
export function artifactsRead(config: CodeDeployToEcsConfiguration): string[] {
  return [
    ...new Set([
      config.taskDefinitionTemplateArtifact,
      config.appSpecTemplateArtifact,
      ...config.images.map((i) => i.artifactName),
    ]),
  ];
}

/**
 * Reads taskdef.json and appspec.yaml from their artifacts, the ImageURI of each Image<N>
 * artifact's imageDetail.json, substitutes the placeholders and checks the AppSpec against the
 * rendered task definition (its ContainerName must be one of its containers). `standInArn` takes
 * `<TASK_DEFINITION>`'s place until the real ARN exists. `artifacts` holds every name of
 * `artifactsRead(config)`.
 */
export function renderBlueGreenInputs(
  config: CodeDeployToEcsConfiguration,
  artifacts: ReadonlyMap<string, ArtifactFiles>,
  standInArn: string,
): Result<BlueGreenInputs, EcsDeployError> {
  const files = (name: string) => artifacts.get(name) ?? new Map<string, Uint8Array>();
  const taskDefText = readTemplateFile(
    files(config.taskDefinitionTemplateArtifact),
    config.taskDefinitionTemplateArtifact,
    config.taskDefinitionTemplatePath,
    "TaskDefinitionTemplatePath",
  );
  if (!taskDefText.ok) return taskDefText;
  const appSpecText = readTemplateFile(
    files(config.appSpecTemplateArtifact),
    config.appSpecTemplateArtifact,
    config.appSpecTemplatePath,
    "AppSpecTemplatePath",
  );
  if (!appSpecText.ok) return appSpecText;
  const images: TemplateImage[] = [];
  for (const image of config.images) {
    const uri = readImageDetail(files(image.artifactName), image.artifactName);
    if (!uri.ok) return uri;
    images.push({ index: image.index, placeholder: image.placeholder, imageUri: uri.value });
  }
  const rendered = renderTaskDefinitionTemplate(taskDefText.value, config.taskDefinitionTemplatePath, images);
  if (!rendered.ok) return rendered;
  const containerNames = rendered.value.containerDefinitions.map((c) => String(c.name));
  const appSpec = renderAppSpecTemplate(
    appSpecText.value,
    config.appSpecTemplatePath,
    standInArn,
    containerNames,
  );
  if (!appSpec.ok) return err(appSpec.error);
  return ok({
    taskDefinition: rendered.value,
    appSpecText: appSpecText.value,
    appSpec: appSpec.value,
    images,
    containerNames,
  });
}

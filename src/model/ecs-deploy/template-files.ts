import { err, ok, type Result } from "../../lib/result.js";
import { type EcsDeployError, ecsDeployError } from "./errors.js";
import { type ArtifactFiles, decodeUtf8, filesPresent, findArtifactFile } from "./image-definitions.js";

/**
 * Reads a CodeDeployToECS template (taskdef.json or appspec.yaml) from its input artifact: there
 * (else the files the artifact has, and the configuration key that names another path) and UTF-8.
 */
export function readTemplateFile(
  files: ArtifactFiles,
  artifactName: string,
  path: string,
  configurationKey: "TaskDefinitionTemplatePath" | "AppSpecTemplatePath",
): Result<string, EcsDeployError> {
  const bytes = findArtifactFile(files, path);
  if (!bytes)
    return err(
      ecsDeployError(
        "FileMissing",
        `The file ${path} does not exist in the input artifact ${artifactName}. ${filesPresent(files)} Add it to the artifact or set ${configurationKey}.`,
      ),
    );
  const text = decodeUtf8(bytes);
  if (text === undefined)
    return err(
      ecsDeployError("InvalidEncoding", `${path} in ${artifactName} is not UTF-8; save it as UTF-8.`),
    );
  return ok(text);
}

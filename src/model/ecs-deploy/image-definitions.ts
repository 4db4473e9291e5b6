import { err, ok, type Result } from "../../lib/result.js";
import { type EcsDeployError, ecsDeployError } from "./errors.js";
import { parseJsonText } from "./json-text.js";

/** One entry of imagedefinitions.json: the container to update and its new image. */
export interface ImageDefinition {
  readonly name: string;
  readonly imageUri: string;
}

/** The files of an input artifact as extracted: path inside the artifact (with `/`) -> bytes. */
export type ArtifactFiles = ReadonlyMap<string, Uint8Array>;

/** The ECS action's limit on the image definitions file (spec ecs-deploy.md A.1). */
export const IMAGE_DEFINITIONS_MAX_BYTES = 100 * 1024;
export const DEFAULT_IMAGE_DEFINITIONS_FILE = "imagedefinitions.json";
export const IMAGE_DETAIL_FILE = "imageDetail.json";

/** How many file names a "file missing" message lists before it says "and N more". */
const LISTED_FILES = 20;

function normalise(path: string): string {
  return path
    .replace(/\\/gu, "/")
    .replace(/^(\.\/)+/u, "")
    .replace(/^\/+/u, "");
}

export function filesPresent(files: ArtifactFiles): string {
  const names = [...files.keys()].map(normalise).sort();
  if (names.length === 0) return "The artifact is empty.";
  const listed = names.slice(0, LISTED_FILES).join(", ");
  const more = names.length > LISTED_FILES ? ` and ${names.length - LISTED_FILES} more` : "";
  return `Files in the artifact: ${listed}${more}.`;
}

/** Finds a file in an artifact (a leading `./` or `/` on either side does not matter). */
export function findArtifactFile(files: ArtifactFiles, path: string): Uint8Array | undefined {
  const wanted = normalise(path);
  for (const [name, bytes] of files) if (normalise(name) === wanted) return bytes;
  return undefined;
}

/** Decodes UTF-8 (a BOM is dropped); undefined when the bytes are not UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Reads the ECS action's image definitions file (`FileName`, default imagedefinitions.json) from
 * its input artifact: present, at most 100 KB, UTF-8, then parsed by parseImageDefinitions.
 */
export function readImageDefinitions(
  files: ArtifactFiles,
  artifactName: string,
  fileName: string = DEFAULT_IMAGE_DEFINITIONS_FILE,
): Result<ImageDefinition[], EcsDeployError> {
  const bytes = findArtifactFile(files, fileName);
  if (!bytes) {
    const hint = findArtifactFile(files, IMAGE_DETAIL_FILE)
      ? ` The artifact has ${IMAGE_DETAIL_FILE}, which is the ECR source action's output for CodeDeployToECS; the ECS action needs [{"name": "<container>", "imageUri": "<image>"}] in ${fileName}.`
      : ` Write it in the build (printf '[{"name":"<container>","imageUri":"%s"}]' "$URI" > ${fileName}, listed under artifacts: files) or set FileName.`;
    return err(
      ecsDeployError(
        "FileMissing",
        `The image definition file ${fileName} does not exist in the input artifact ${artifactName}. ${filesPresent(files)}${hint}`,
      ),
    );
  }
  if (bytes.length > IMAGE_DEFINITIONS_MAX_BYTES)
    return err(
      ecsDeployError(
        "FileTooLarge",
        `The image definition file ${fileName} is ${bytes.length} bytes; the limit is ${IMAGE_DEFINITIONS_MAX_BYTES} bytes (100 KB).`,
      ),
    );
  const text = decodeUtf8(bytes);
  if (text === undefined)
    return err(
      ecsDeployError(
        "InvalidEncoding",
        `The image definition file ${fileName} is not UTF-8; save it as UTF-8.`,
      ),
    );
  return parseImageDefinitions(text, fileName);
}

/**
 * Parses imagedefinitions.json: a JSON array of `{"name": container, "imageUri": image}`, at
 * least one, names unique. Other keys in an entry are ignored (AWS's action reads only these two).
 */
export function parseImageDefinitions(
  text: string,
  fileName: string,
): Result<ImageDefinition[], EcsDeployError> {
  const parsed = parseJsonText(text);
  if (!parsed.ok) {
    const { reason, line, column } = parsed.error;
    // AWS's message, with where and why (aws/aws-cdk#8894 quotes the first sentence).
    return err(
      ecsDeployError(
        "InvalidJson",
        `The image definition file ${fileName} contents invalid JSON format: ${reason} at line ${line}, column ${column}.`,
      ),
    );
  }
  const value = parsed.value;
  const shape = `[{"name": "<container name>", "imageUri": "<image>"}]`;
  if (!Array.isArray(value))
    return err(
      ecsDeployError(
        "InvalidImageDefinitions",
        `The image definition file ${fileName} must be a JSON array like ${shape}, but it is ${kindOf(value)}.`,
      ),
    );
  if (value.length === 0)
    return err(
      ecsDeployError(
        "InvalidImageDefinitions",
        `The image definition file ${fileName} is an empty array: list at least one container as ${shape}.`,
      ),
    );
  const out: ImageDefinition[] = [];
  const seen = new Map<string, number>();
  for (const [index, entry] of value.entries()) {
    const where = `${fileName}[${index}]`;
    if (typeof entry !== "object" || entry === null || Array.isArray(entry))
      return err(
        ecsDeployError(
          "InvalidImageDefinitions",
          `${where} must be an object like ${shape.slice(1, -1)}, but it is ${kindOf(entry)}.`,
        ),
      );
    const record = entry as Record<string, unknown>;
    for (const key of ["name", "imageUri"] as const) {
      const v = Object.hasOwn(record, key) ? record[key] : undefined;
      if (typeof v !== "string" || v.trim() === "") {
        const found = v === undefined ? "is missing" : `is ${kindOf(v)}`;
        const hint =
          key === "imageUri" && Object.hasOwn(record, "imageURI")
            ? " (the key is imageUri, not imageURI)"
            : "";
        return err(
          ecsDeployError(
            "InvalidImageDefinitions",
            `${where}.${key} ${found}; it must be a non-empty string${hint}.`,
          ),
        );
      }
    }
    const name = record.name as string;
    const imageUri = record.imageUri as string;
    if (/\s/u.test(imageUri))
      return err(
        ecsDeployError(
          "InvalidImageDefinitions",
          `${where}.imageUri '${imageUri}' contains whitespace; it must be an image reference.`,
        ),
      );
    const first = seen.get(name);
    if (first !== undefined)
      return err(
        ecsDeployError(
          "DuplicateContainerName",
          `${fileName} names container '${name}' twice (entries ${first} and ${index}); give each container one image.`,
        ),
      );
    seen.set(name, index);
    out.push({ name, imageUri });
  }
  return ok(out);
}

/**
 * Reads `ImageURI` from an artifact's imageDetail.json (the ECR source action's output, or a
 * hand-written `{"ImageURI": "..."}`), for CodeDeployToECS's Image<N>ArtifactName inputs.
 */
export function readImageDetail(files: ArtifactFiles, artifactName: string): Result<string, EcsDeployError> {
  const bytes = findArtifactFile(files, IMAGE_DETAIL_FILE);
  if (!bytes) {
    const hint = findArtifactFile(files, DEFAULT_IMAGE_DEFINITIONS_FILE)
      ? ` It has ${DEFAULT_IMAGE_DEFINITIONS_FILE}, which is the ECS action's input; CodeDeployToECS reads {"ImageURI": "<image>"} from a file named exactly ${IMAGE_DETAIL_FILE}.`
      : "";
    return err(
      ecsDeployError(
        "FileMissing",
        `The image file ${IMAGE_DETAIL_FILE} does not exist in the input artifact ${artifactName}. ${filesPresent(files)}${hint}`,
      ),
    );
  }
  const text = decodeUtf8(bytes);
  if (text === undefined)
    return err(ecsDeployError("InvalidEncoding", `${IMAGE_DETAIL_FILE} in ${artifactName} is not UTF-8.`));
  return parseImageDetail(text, artifactName);
}

export function parseImageDetail(text: string, artifactName: string): Result<string, EcsDeployError> {
  const parsed = parseJsonText(text);
  if (!parsed.ok) {
    const { reason, line, column } = parsed.error;
    return err(
      ecsDeployError(
        "InvalidJson",
        `${IMAGE_DETAIL_FILE} in ${artifactName} is not valid JSON: ${reason} at line ${line}, column ${column}.`,
      ),
    );
  }
  const v = parsed.value;
  const uri =
    typeof v === "object" && v !== null && !Array.isArray(v) && Object.hasOwn(v, "ImageURI")
      ? (v as { ImageURI: unknown }).ImageURI
      : undefined;
  if (typeof uri !== "string" || uri.trim() === "" || /\s/u.test(uri))
    return err(
      ecsDeployError(
        "InvalidImageDetail",
        `${IMAGE_DETAIL_FILE} in ${artifactName} must be an object with ImageURI, the image reference (e.g. {"ImageURI": "repo@sha256:..."}); ImageURI ${uri === undefined ? "is missing" : `is ${kindOf(uri)}`}.`,
      ),
    );
  return ok(uri);
}

/** How a message names a JSON value's kind. */
export function kindOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return "an object";
  if (typeof v === "string")
    return v.trim() === "" ? "an empty string" : `the string ${JSON.stringify(v.slice(0, 40))}`;
  return `the ${typeof v} ${String(v)}`;
}

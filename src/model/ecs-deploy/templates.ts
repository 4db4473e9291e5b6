import { parseDocument } from "yaml";
import { err, ok, type Result } from "../../lib/result.js";
import { type EcsDeployError, ecsDeployError } from "./errors.js";
import { kindOf } from "./image-definitions.js";
import { parseJsonText } from "./json-text.js";
import type { ContainerDefinitionLike, RegisterTaskDefinitionInput } from "./task-definition.js";

/** One Image<N>ArtifactName / Image<N>ContainerName pair with the ImageURI read from its artifact. */
export interface TemplateImage {
  /** N in Image<N>ContainerName (1 to 4), for messages. */
  readonly index: number;
  /** The placeholder name: Image<N>ContainerName's value, written `<NAME>` in taskdef.json. */
  readonly placeholder: string;
  readonly imageUri: string;
}

export const TASK_DEFINITION_PLACEHOLDER = "<TASK_DEFINITION>";
const ANY_PLACEHOLDER = /<[A-Za-z0-9_.-]+>/u;

function replaceStrings(value: unknown, from: string, to: string, hits: { n: number }): unknown {
  if (typeof value === "string") {
    if (!value.includes(from)) return value;
    hits.n += value.split(from).length - 1;
    return value.split(from).join(to);
  }
  if (Array.isArray(value)) return value.map((v) => replaceStrings(v, from, to, hits));
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      Object.defineProperty(out, k, {
        value: replaceStrings(v, from, to, hits),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return out;
  }
  return value;
}

/**
 * Renders CodeDeployToECS's task definition template (TaskDefinitionTemplatePath, default
 * taskdef.json): each `<NAME>` of an Image<N>ContainerName is replaced with the ImageURI of the
 * matching Image<N>ArtifactName's imageDetail.json (spec A.4). Fails on invalid JSON (line and
 * column), a shape that is not a task definition, a placeholder the template lacks, and an
 * `image` still holding a placeholder after substitution.
 */
export function renderTaskDefinitionTemplate(
  text: string,
  path: string,
  images: readonly TemplateImage[],
): Result<RegisterTaskDefinitionInput, EcsDeployError> {
  const parsed = parseJsonText(text);
  if (!parsed.ok) {
    const { reason, line, column } = parsed.error;
    return err(
      ecsDeployError(
        "InvalidJson",
        `The task definition template ${path} is not valid JSON: ${reason} at line ${line}, column ${column}.`,
      ),
    );
  }
  let value = parsed.value;
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return err(
      ecsDeployError(
        "InvalidTaskDefinition",
        `The task definition template ${path} must be a JSON object, but it is ${kindOf(value)}.`,
      ),
    );
  const td = value as Record<string, unknown>;
  if (typeof td.family !== "string" || td.family === "")
    return err(
      ecsDeployError(
        "InvalidTaskDefinition",
        `The task definition template ${path} has no family; add "family": "<name>".`,
      ),
    );
  const containers = td.containerDefinitions;
  if (
    !Array.isArray(containers) ||
    containers.length === 0 ||
    !containers.every((c) => typeof c === "object" && c !== null && !Array.isArray(c))
  )
    return err(
      ecsDeployError(
        "InvalidTaskDefinition",
        `The task definition template ${path} needs containerDefinitions, a non-empty array of container objects.`,
      ),
    );
  for (const image of images) {
    const placeholder = `<${image.placeholder}>`;
    const hits = { n: 0 };
    value = replaceStrings(value, placeholder, image.imageUri, hits);
    if (hits.n === 0)
      return err(
        ecsDeployError(
          "PlaceholderMismatch",
          `The task definition template ${path} does not contain the placeholder ${placeholder} named by Image${image.index}ContainerName; write "image": "${placeholder}" in the container that should run it.`,
        ),
      );
  }
  const rendered = value as RegisterTaskDefinitionInput;
  for (const [i, c] of (rendered.containerDefinitions as ContainerDefinitionLike[]).entries()) {
    const left = typeof c.image === "string" ? ANY_PLACEHOLDER.exec(c.image) : null;
    if (left)
      return err(
        ecsDeployError(
          "PlaceholderMismatch",
          `containerDefinitions[${i}] (${String(c.name)}) in ${path} still has image '${c.image}': no Image<N>ContainerName is '${left[0].slice(1, -1)}'; add an Image<N>ArtifactName / Image<N>ContainerName pair for it.`,
        ),
      );
  }
  return ok(rendered);
}

/** What CodeDeploy needs from an ECS AppSpec, rendered. */
export interface EcsAppSpec {
  /** The AppSpec text with `<TASK_DEFINITION>` replaced (what is handed to CodeDeploy). */
  readonly text: string;
  readonly taskDefinition: string;
  readonly containerName: string;
  readonly containerPort: number;
  readonly platformVersion?: string;
  /** Lifecycle hooks as written (BeforeInstall, AfterInstall, AfterAllowTestTraffic, ...). */
  readonly hooks: readonly Record<string, string>[];
}

/**
 * Renders CodeDeployToECS's AppSpec template (AppSpecTemplatePath, default appspec.yaml; YAML
 * or JSON): `<TASK_DEFINITION>` becomes the ARN of the task definition registered from the
 * rendered template. Checks the ECS AppSpec shape (version, Resources with one
 * AWS::ECS::Service target, LoadBalancerInfo.ContainerName / ContainerPort), and, when
 * `containerNames` is given, that ContainerName is one of them.
 */
export function renderAppSpecTemplate(
  text: string,
  path: string,
  taskDefinitionArn: string,
  containerNames?: readonly string[],
): Result<EcsAppSpec, EcsDeployError> {
  const bad = (message: string) =>
    err(ecsDeployError("InvalidAppSpec", `The AppSpec file ${path} ${message}`));
  if (!text.includes(TASK_DEFINITION_PLACEHOLDER))
    return err(
      ecsDeployError(
        "PlaceholderMismatch",
        `The AppSpec file ${path} does not contain ${TASK_DEFINITION_PLACEHOLDER}; write "TaskDefinition: ${TASK_DEFINITION_PLACEHOLDER}" under the target service's Properties.`,
      ),
    );
  const rendered = text.split(TASK_DEFINITION_PLACEHOLDER).join(taskDefinitionArn);
  let spec: unknown;
  try {
    const doc = parseDocument(rendered, { prettyErrors: true, uniqueKeys: false });
    const first = doc.errors[0];
    if (first) {
      const pos = first.linePos?.[0];
      const where = pos ? ` at line ${pos.line}, column ${pos.col}` : "";
      return bad(`is not valid YAML${where}: ${first.message.split("\n")[0]}.`);
    }
    spec = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return bad(`cannot be read: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}.`);
  }
  if (typeof spec !== "object" || spec === null || Array.isArray(spec))
    return bad(`must be a mapping, but it is ${kindOf(spec)}.`);
  const root = spec as Record<string, unknown>;
  if (root.version === undefined) return bad("has no version; add 'version: 0.0'.");
  const resources = root.Resources;
  if (!Array.isArray(resources) || resources.length === 0)
    return bad(
      "needs Resources, a list with one AWS::ECS::Service target (e.g. '- TargetService: {Type: AWS::ECS::Service, ...}').",
    );
  const targets = resources.flatMap((r) =>
    typeof r === "object" && r !== null && !Array.isArray(r)
      ? Object.values(r as Record<string, unknown>).filter(
          (v) =>
            typeof v === "object" &&
            v !== null &&
            (v as Record<string, unknown>).Type === "AWS::ECS::Service",
        )
      : [],
  ) as Record<string, unknown>[];
  if (targets.length !== 1)
    return bad(
      `must have exactly one resource of Type AWS::ECS::Service under Resources, found ${targets.length}.`,
    );
  const props = targets[0]!.Properties;
  if (typeof props !== "object" || props === null || Array.isArray(props))
    return bad("has a target service without Properties.");
  const p = props as Record<string, unknown>;
  if (p.TaskDefinition !== taskDefinitionArn)
    return bad(
      `must set Properties.TaskDefinition to ${TASK_DEFINITION_PLACEHOLDER} (it is ${kindOf(p.TaskDefinition)}).`,
    );
  const lb = p.LoadBalancerInfo as Record<string, unknown> | undefined;
  const containerName = lb?.ContainerName;
  const containerPort = lb?.ContainerPort;
  if (typeof containerName !== "string" || containerName === "")
    return bad("needs Properties.LoadBalancerInfo.ContainerName, the container that receives traffic.");
  if (
    typeof containerPort !== "number" ||
    !Number.isInteger(containerPort) ||
    containerPort < 1 ||
    containerPort > 65535
  )
    return bad(
      `needs Properties.LoadBalancerInfo.ContainerPort, a port from 1 to 65535 (it is ${kindOf(containerPort)}).`,
    );
  if (containerNames && !containerNames.includes(containerName))
    return bad(
      `names LoadBalancerInfo.ContainerName '${containerName}', which is not in the task definition; valid container names: ${containerNames.map((n) => `'${n}'`).join(", ")}.`,
    );
  const hooks = Array.isArray(root.Hooks)
    ? root.Hooks.filter(
        (h): h is Record<string, string> => typeof h === "object" && h !== null && !Array.isArray(h),
      )
    : [];
  return ok({
    text: rendered,
    taskDefinition: taskDefinitionArn,
    containerName,
    containerPort,
    ...(typeof p.PlatformVersion === "string" ? { platformVersion: p.PlatformVersion } : {}),
    hooks,
  });
}

import type { ActionDeclaration } from "../declaration.js";
import type { ValidationIssue } from "../validation-issue.js";
import { parseCodeDeployToEcsConfiguration, parseEcsDeployConfiguration } from "./configuration.js";

/** Values with `#{Namespace.Variable}` are resolved at run time; they are checked then. */
const hasVariable = (v: string | undefined) => v?.includes("#{") ?? false;

/**
 * CreatePipeline-time checks of the ECS and CodeDeployToECS actions' configuration beyond the
 * catalogue's required keys (which action-rules.ts reports as MissingConfigurationKey):
 * DeploymentTimeout 1 to 60, FileName inside the artifact, Image<N> pairs and artifact names.
 * Run again on the resolved configuration when the action starts (parse*Configuration).
 */
export function ecsDeployActionIssues(action: ActionDeclaration, path: string): ValidationIssue[] {
  const id = action.actionTypeId;
  if (id.category !== "Deploy" || id.owner !== "AWS" || id.version !== "1") return [];
  const raw = action.configuration ?? {};
  if (id.provider !== "ECS" && id.provider !== "CodeDeployToECS") return [];
  // Without input artifacts TooFewArtifacts says what is wrong; artifact names cannot be checked.
  if (id.provider === "CodeDeployToECS" && (action.inputArtifacts ?? []).length === 0) return [];
  // Required keys are the generic rule's; only the values present are checked here.
  const present = Object.fromEntries(Object.entries(raw).filter(([, v]) => !hasVariable(v)));
  const result =
    id.provider === "ECS"
      ? parseEcsDeployConfiguration({ ClusterName: "x", ServiceName: "x", ...present })
      : parseCodeDeployToEcsConfiguration(
          {
            ApplicationName: "x",
            DeploymentGroupName: "x",
            TaskDefinitionTemplateArtifact: (action.inputArtifacts ?? [])[0]?.name ?? "x",
            AppSpecTemplateArtifact: (action.inputArtifacts ?? [])[0]?.name ?? "x",
            ...present,
          },
          (action.inputArtifacts ?? []).map((a) => a.name),
        );
  if (result.ok) return [];
  const key = Object.keys(raw).find(
    (k) => result.error.message.startsWith(k) || result.error.message.includes(`${k} '`),
  );
  return [
    {
      path: `${path}.configuration${key ? `.${key}` : ""}`,
      code: id.provider === "ECS" ? "InvalidEcsConfiguration" : "InvalidCodeDeployToEcsConfiguration",
      exception: "InvalidActionDeclarationException",
      severity: "error",
      message: `Action '${action.name}': ${result.error.message}`,
    },
  ];
}

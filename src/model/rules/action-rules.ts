import type { ActionDeclaration } from "../declaration.js";
import { ecsDeployActionIssues } from "../ecs-deploy/validation.js";
import type { ValidationIssue } from "../validation-issue.js";
import { allActions, issue, type Rule } from "./rule-context.js";

function regionEnum(region: string): string {
  return region.toUpperCase().replace(/-/gu, "_");
}

/** Per-action rules against the action type catalogue (spec §4.3, A1–A6, A10, A18 and friends). */
export const actionRules: Rule = ({ decl, catalog, region }) => {
  const out: ValidationIssue[] = [];
  decl.stages.forEach((s, si) => {
    const names = new Set<string>();
    s.actions.forEach((a, ai) => {
      if (names.has(a.name)) {
        out.push(
          issue(
            `pipeline.stages[${si}].actions[${ai}].name`,
            "DuplicateActionName",
            "InvalidStageDeclarationException",
            `Action name '${a.name}' is used more than once in stage '${s.name}'; action names must be unique within a stage`,
          ),
        );
      }
      names.add(a.name);
    });
  });
  const namespaces = new Map<string, string>();
  const artifactNames = new Set(
    allActions(decl).flatMap((a) => (a.action.outputArtifacts ?? []).map((o) => o.name)),
  );
  for (const { action, path } of allActions(decl)) {
    const id = action.actionTypeId;
    const spec = catalog.find(id);
    if (!spec) {
      out.push(
        issue(
          `${path}.actionTypeId`,
          "UnknownActionType",
          "InvalidActionDeclarationException",
          `ActionType (Category: '${id.category}', Provider: '${id.provider}', Owner: '${id.owner}', Version: '${id.version}') in action '${action.name}' is not available in region '${regionEnum(region)}'`,
        ),
      );
    } else {
      const config = action.configuration ?? {};
      for (const key of spec.openConfiguration ? [] : Object.keys(config)) {
        if (!spec.actionConfigurationProperties.some((p) => p.name === key)) {
          out.push(
            issue(
              `${path}.configuration.${key}`,
              "UnknownConfigurationKey",
              "InvalidActionDeclarationException",
              `Action configuration for action '${action.name}' contains unknown configuration '${key}'`,
            ),
          );
        }
      }
      for (const p of spec.actionConfigurationProperties) {
        if (p.required && config[p.name] === undefined) {
          out.push(
            issue(
              `${path}.configuration.${p.name}`,
              "MissingConfigurationKey",
              "InvalidActionDeclarationException",
              `Action configuration for action '${action.name}' is missing required configuration '${p.name}'`,
            ),
          );
        }
      }
      for (const [dir, list, details] of [
        ["input", action.inputArtifacts ?? [], spec.inputArtifactDetails],
        ["output", action.outputArtifacts ?? [], spec.outputArtifactDetails],
      ] as const) {
        const n = list.length;
        if (n < details.minimumCount) {
          out.push(
            issue(
              `${path}.${dir}Artifacts`,
              "TooFewArtifacts",
              "InvalidActionDeclarationException",
              `Action ${action.name} declares ${n} ${dir} artifacts which is less than the minimum count (${details.minimumCount})`,
            ),
          );
        }
        if (n > details.maximumCount) {
          out.push(
            issue(
              `${path}.${dir}Artifacts`,
              "TooManyArtifacts",
              "InvalidActionDeclarationException",
              `Action ${action.name} declares ${n} ${dir} artifacts which is more than the maximum count (${details.maximumCount})`,
            ),
          );
        }
      }
      if (!spec.executable) {
        out.push(
          issue(
            `${path}.actionTypeId`,
            "ProviderNotExecutable",
            "InvalidActionDeclarationException",
            `Pipewright accepts provider '${id.provider}' (${id.category}) as AWS does but cannot run it yet; an execution reaching action '${action.name}' will fail with ConfigurationError`,
            "warning",
          ),
        );
      }
    }
    if (
      id.provider === "CodeBuild" &&
      (action.inputArtifacts?.length ?? 0) > 1 &&
      !action.configuration?.PrimarySource
    ) {
      out.push(
        issue(
          `${path}.configuration.PrimarySource`,
          "MissingPrimarySource",
          "InvalidActionDeclarationException",
          `Action '${action.name}' has ${action.inputArtifacts?.length} input artifacts; set PrimarySource to the one CodeBuild should use as its primary source`,
        ),
      );
    }
    if (id.provider === "CodeBuild" && id.owner === "AWS") out.push(...codeBuildIssues(action, path));
    out.push(...ecsDeployActionIssues(action, path));
    if (
      id.category === "Deploy" &&
      id.provider === "S3" &&
      action.configuration?.Extract === "false" &&
      !action.configuration.ObjectKey
    ) {
      out.push(
        issue(
          `${path}.configuration.ObjectKey`,
          "MissingObjectKey",
          "InvalidActionDeclarationException",
          `Action '${action.name}' has Extract set to false, so ObjectKey is required`,
        ),
      );
    }
    // AWS forbids only a *different* region on these: its own action-declaration example sets
    // `region` (equal to the pipeline's) on an S3 source action.
    if (action.region && action.region !== region && (id.category === "Source" || id.owner !== "AWS")) {
      const kind = id.category === "Source" ? "a Source action" : `an action of owner ${id.owner}`;
      out.push(
        issue(
          `${path}.region`,
          "CrossRegionNotAllowed",
          "InvalidActionDeclarationException",
          `Action '${action.name}' cannot run in region '${action.region}': it is ${kind}, and Source, ThirdParty and Custom actions must run in the pipeline's region '${region}'; remove region or set it to '${region}'`,
        ),
      );
    }
    if (
      (action.commands || action.outputVariables || action.environmentVariables) &&
      id.provider !== "Commands"
    ) {
      out.push(
        issue(
          path,
          "CommandsFieldsOutsideCommands",
          "InvalidActionDeclarationException",
          `Action '${action.name}' sets commands, outputVariables or environmentVariables, which only the Commands action accepts`,
        ),
      );
    }
    if (id.provider === "Commands" && !action.commands?.length) {
      out.push(
        issue(
          `${path}.commands`,
          "MissingCommands",
          "InvalidActionDeclarationException",
          `Action ${action.name} must have a non-empty commands field`,
        ),
      );
    }
    if (action.namespace) {
      const other = namespaces.get(action.namespace);
      if (other) {
        out.push(
          issue(
            `${path}.namespace`,
            "DuplicateNamespace",
            "InvalidActionDeclarationException",
            `Namespace '${action.namespace}' of action '${action.name}' is already used by action '${other}'; namespaces must be unique in a pipeline`,
          ),
        );
      } else if (artifactNames.has(action.namespace)) {
        out.push(
          issue(
            `${path}.namespace`,
            "NamespaceIsArtifactName",
            "InvalidActionDeclarationException",
            `Namespace '${action.namespace}' of action '${action.name}' is also an artifact name; choose a different namespace`,
          ),
        );
      }
      namespaces.set(action.namespace, action.name);
    }
  }
  return out;
};

/**
 * The CodeBuild action's configuration (spec buildspec.md §6): PrimarySource names an input
 * artifact, EnvironmentVariables is a JSON array of {name, value, type}, and batch builds,
 * which Pipewright does not run, are refused here rather than failing later.
 */
function codeBuildIssues(action: ActionDeclaration, path: string): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const config = action.configuration ?? {};
  const at = (key: string) => `${path}.configuration.${key}`;
  const inputs = (action.inputArtifacts ?? []).map((a) => a.name);
  if (config.PrimarySource !== undefined && !inputs.includes(config.PrimarySource)) {
    out.push(
      issue(
        at("PrimarySource"),
        "UnknownPrimarySource",
        "InvalidActionDeclarationException",
        `Action '${action.name}': PrimarySource '${config.PrimarySource}' is not one of its input artifacts (${inputs.join(", ")})`,
      ),
    );
  }
  for (const key of ["BatchEnabled", "CombineArtifacts"] as const) {
    if (config[key]?.toLowerCase() === "true") {
      out.push(
        issue(
          at(key),
          "BatchBuildsNotSupported",
          "InvalidActionDeclarationException",
          `Action '${action.name}': ${key} is true, but Pipewright does not run batch builds yet; remove ${key} or set it to false`,
        ),
      );
    }
  }
  const variables = config.EnvironmentVariables;
  if (variables !== undefined) {
    const problem = environmentVariablesProblem(variables);
    if (problem) {
      out.push(
        issue(
          at("EnvironmentVariables"),
          "InvalidEnvironmentVariables",
          "InvalidActionDeclarationException",
          `Action '${action.name}': EnvironmentVariables ${problem}`,
        ),
      );
    }
  }
  return out;
}

function environmentVariablesProblem(text: string): string | undefined {
  if (text.length > 1000) return "is longer than 1000 characters";
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'is not valid JSON; write an array such as [{"name":"STAGE","value":"prod","type":"PLAINTEXT"}]';
  }
  if (!Array.isArray(value)) return "must be a JSON array of {name, value, type} objects";
  for (const [i, item] of value.entries()) {
    if (typeof item !== "object" || item === null) return `item ${i} is not an object`;
    const { name, value: v, type } = item as Record<string, unknown>;
    if (typeof name !== "string" || name === "") return `item ${i} needs a non-empty string "name"`;
    if (typeof v !== "string") return `item ${i} (${name}) needs a string "value"`;
    if (type !== undefined && !["PLAINTEXT", "PARAMETER_STORE", "SECRETS_MANAGER"].includes(String(type))) {
      return `item ${i} (${name}) has type ${String(type)}; use PLAINTEXT, PARAMETER_STORE or SECRETS_MANAGER`;
    }
  }
  return undefined;
}

import { effectivePipelineType } from "../apply-defaults.js";
import type { ValidationIssue } from "../validation-issue.js";
import { allActions, issue, type Rule } from "./rule-context.js";

/** Pipeline-level structure (spec §4.2, P3–P14). */
export const structureRules: Rule = ({ decl, region }) => {
  const out: ValidationIssue[] = [];
  const n = decl.stages.length;
  if (n < 2) {
    out.push(
      issue(
        "pipeline.stages",
        "TooFewStages",
        "InvalidStructureException",
        `Pipeline has only ${n} stage(s). There should be a minimum of 2 stages in a pipeline`,
      ),
    );
  }
  if (n > 50) {
    out.push(
      issue(
        "pipeline.stages",
        "TooManyStages",
        "InvalidStructureException",
        `Pipeline has ${n} stages. There should be a maximum of 50 stages in a pipeline`,
      ),
    );
  }
  const seen = new Set<string>();
  decl.stages.forEach((s, si) => {
    if (seen.has(s.name)) {
      out.push(
        issue(
          `pipeline.stages[${si}].name`,
          "DuplicateStageName",
          "InvalidStructureException",
          `Stage name '${s.name}' is used more than once; stage names must be unique within a pipeline`,
        ),
      );
    }
    seen.add(s.name);
    if (s.actions.length === 0) {
      out.push(
        issue(
          `pipeline.stages[${si}].actions`,
          "EmptyStage",
          "InvalidStageDeclarationException",
          `Stage '${s.name}' has no actions; a stage needs at least one action`,
        ),
      );
    }
    if (s.actions.length > 50) {
      out.push(
        issue(
          `pipeline.stages[${si}].actions`,
          "TooManyActions",
          "LimitExceededException",
          `Stage '${s.name}' has ${s.actions.length} actions; the limit is 50`,
        ),
      );
    }
  });
  const first = decl.stages[0];
  if (
    first &&
    first.actions.length > 0 &&
    !first.actions.every((a) => a.actionTypeId.category === "Source")
  ) {
    out.push(
      issue(
        "pipeline.stages[0]",
        "FirstStageNotSource",
        "InvalidStructureException",
        `The first stage '${first.name}' must contain only Source actions`,
      ),
    );
  }
  for (const a of allActions(decl)) {
    if (a.stageIndex > 0 && a.action.actionTypeId.category === "Source") {
      out.push(
        issue(
          `${a.path}.actionTypeId.category`,
          "SourceOutsideFirstStage",
          "InvalidStructureException",
          `Source action '${a.action.name}' is in stage '${decl.stages[a.stageIndex]?.name}'; Source actions are only allowed in the first stage`,
        ),
      );
    }
  }
  if (decl.artifactStore && decl.artifactStores) {
    out.push(
      issue(
        "pipeline.artifactStores",
        "BothArtifactStores",
        "InvalidStructureException",
        "Pipeline declares both artifactStore and artifactStores; use exactly one of them",
      ),
    );
  } else if (!decl.artifactStore && !decl.artifactStores) {
    out.push(
      issue(
        "pipeline.artifactStore",
        "MissingArtifactStore",
        "InvalidStructureException",
        "Pipeline declares neither artifactStore nor artifactStores; add one",
      ),
    );
  } else if (decl.artifactStores) {
    const regions = new Set([
      region,
      ...allActions(decl)
        .map((a) => a.action.region)
        .filter((r): r is string => !!r),
    ]);
    for (const r of regions) {
      if (!decl.artifactStores[r]) {
        out.push(
          issue(
            "pipeline.artifactStores",
            "MissingRegionArtifactStore",
            "InvalidStructureException",
            `artifactStores has no artifact store for region '${r}'; add one for the pipeline's region and for every action region`,
          ),
        );
      }
    }
  }
  if (allActions(decl).length > 500) {
    out.push(
      issue(
        "pipeline.stages",
        "TooManyActionsInPipeline",
        "LimitExceededException",
        "Pipeline has more than 500 actions",
      ),
    );
  }
  if (decl.pipelineType === "V1" || effectivePipelineType(decl) === "V1") {
    const v2 = (path: string, what: string) =>
      out.push(
        issue(
          path,
          "V2FeatureInV1Pipeline",
          "InvalidStructureException",
          `${what} can only be used with V2 pipelines`,
        ),
      );
    if (decl.triggers?.length) {
      const tags = decl.triggers.some((t) => t.gitConfiguration.push?.some((p) => p.tags));
      v2("pipeline.triggers", tags ? "Triggers on tag" : "Triggers");
    }
    if (decl.variables?.length) v2("pipeline.variables", "Pipeline variables");
    if (decl.executionMode === "QUEUED" || decl.executionMode === "PARALLEL")
      v2("pipeline.executionMode", `Execution mode ${decl.executionMode}`);
    decl.stages.forEach((s, si) => {
      if (s.beforeEntry || s.onSuccess || s.onFailure)
        v2(`pipeline.stages[${si}]`, `Stage conditions (stage '${s.name}')`);
    });
    for (const a of allActions(decl)) {
      const id = a.action.actionTypeId;
      if (id.owner === "AWS" && V2_ONLY.has(`${id.category}/${id.provider}`))
        v2(a.path, `The ${id.category} action ${id.provider} ('${a.action.name}')`);
    }
  }
  if (decl.executionMode === "PARALLEL") {
    decl.stages.forEach((s, si) => {
      if (
        s.onFailure?.result === "ROLLBACK" ||
        s.onSuccess?.conditions.some((c) => c.result === "ROLLBACK")
      ) {
        out.push(
          issue(
            `pipeline.stages[${si}].onFailure.result`,
            "RollbackInParallelMode",
            "InvalidStructureException",
            `Stage '${s.name}' uses ROLLBACK, which PARALLEL pipelines cannot use`,
          ),
        );
      }
    });
  }
  return out;
};

/** AWS's action reference marks these action types "only available for V2 type pipelines". */
const V2_ONLY = new Set([
  "Compute/Commands",
  "Build/ECRBuildAndPublish",
  "Deploy/EC2",
  "Deploy/EKS",
  "Deploy/Lambda",
  "Invoke/CodePipeline",
]);

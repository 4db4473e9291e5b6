import type { PipelineDeclaration } from "./declaration.js";

/** Whether the declaration uses a feature only V2 pipelines have. */
export function usesV2Features(decl: PipelineDeclaration): boolean {
  return (
    (decl.triggers?.length ?? 0) > 0 ||
    (decl.variables?.length ?? 0) > 0 ||
    decl.executionMode === "QUEUED" ||
    decl.executionMode === "PARALLEL" ||
    decl.stages.some(
      (s) =>
        s.beforeEntry !== undefined ||
        s.onSuccess !== undefined ||
        s.onFailure !== undefined ||
        s.actions.some((a) => a.actionTypeId.provider === "Commands"),
    )
  );
}

export function effectivePipelineType(decl: PipelineDeclaration): "V1" | "V2" {
  return decl.pipelineType ?? (usesV2Features(decl) ? "V2" : "V1");
}

/** The declaration as AWS stores and echoes it: runOrder 1, empty maps and lists, type and mode. */
export function withStoredDefaults(decl: PipelineDeclaration, version: number): PipelineDeclaration {
  return {
    ...decl,
    stages: decl.stages.map((stage) => ({
      ...stage,
      actions: stage.actions.map((a) => ({
        ...a,
        runOrder: a.runOrder ?? 1,
        configuration: a.configuration ?? {},
        outputArtifacts: a.outputArtifacts ?? [],
        inputArtifacts: a.inputArtifacts ?? [],
      })),
    })),
    version,
    executionMode: decl.executionMode ?? "SUPERSEDED",
    pipelineType: effectivePipelineType(decl),
  };
}

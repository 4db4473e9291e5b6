import type { ValidationIssue } from "../validation-issue.js";
import { allActions, issue, type Rule } from "./rule-context.js";

/** Artifact wiring (A7–A9) and variable references (A11). */
export const artifactRules: Rule = ({ decl }) => {
  const out: ValidationIssue[] = [];
  const produced = new Map<string, string>();
  const actions = allActions(decl);
  for (const a of actions) {
    for (const [i, o] of (a.action.outputArtifacts ?? []).entries()) {
      if (produced.has(o.name)) {
        out.push(
          issue(
            `${a.path}.outputArtifacts[${i}].name`,
            "DuplicateOutputArtifact",
            "InvalidStructureException",
            `Output artifact name '${o.name}' of action '${a.action.name}' is already produced by action '${produced.get(o.name)}'; output artifact names must be unique in a pipeline`,
          ),
        );
      } else produced.set(o.name, a.action.name);
    }
  }
  const earlier = (a: (typeof actions)[number], b: (typeof actions)[number]) =>
    b.stageIndex < a.stageIndex ||
    (b.stageIndex === a.stageIndex && (b.action.runOrder ?? 1) < (a.action.runOrder ?? 1));
  for (const a of actions) {
    const outs = new Set((a.action.outputArtifacts ?? []).map((o) => o.name));
    for (const [i, input] of (a.action.inputArtifacts ?? []).entries()) {
      const path = `${a.path}.inputArtifacts[${i}].name`;
      if (outs.has(input.name)) {
        out.push(
          issue(
            path,
            "ArtifactIsInputAndOutput",
            "InvalidStructureException",
            `Action '${a.action.name}' uses artifact '${input.name}' as both input and output`,
          ),
        );
        continue;
      }
      if (
        !actions.some(
          (b) => earlier(a, b) && (b.action.outputArtifacts ?? []).some((o) => o.name === input.name),
        )
      ) {
        out.push(
          issue(
            path,
            "InputArtifactNotProduced",
            "InvalidStructureException",
            `Input artifact '${input.name}' of action '${a.action.name}' is not produced by an earlier action (an earlier stage, or this stage with a lower runOrder)`,
          ),
        );
      }
    }
    const nsOf = (ns: string) => actions.find((b) => b.action.namespace === ns);
    for (const [key, value] of Object.entries(a.action.configuration ?? {})) {
      for (const m of value.matchAll(/#\{([^}.]+)\.([^}]+)\}/gu)) {
        const ns = m[1]!;
        const path = `${a.path}.configuration.${key}`;
        if (ns === "codepipeline") {
          if (m[2] !== "PipelineExecutionId")
            out.push(
              issue(
                path,
                "UnknownVariable",
                "InvalidActionDeclarationException",
                `Variable '#{codepipeline.${m[2]}}' in action '${a.action.name}' does not exist; the codepipeline namespace has PipelineExecutionId`,
              ),
            );
          continue;
        }
        if (ns === "variables") {
          if (!decl.variables?.some((v) => v.name === m[2]))
            out.push(
              issue(
                path,
                "UnknownVariable",
                "InvalidActionDeclarationException",
                `Variable '#{variables.${m[2]}}' in action '${a.action.name}' is not declared in pipeline.variables`,
              ),
            );
          continue;
        }
        const producer = nsOf(ns);
        if (!producer || !earlier(a, producer)) {
          out.push(
            issue(
              path,
              "UnknownNamespace",
              "InvalidActionDeclarationException",
              `Action '${a.action.name}' refers to namespace '${ns}', which no earlier action (earlier stage, or lower runOrder) declares`,
            ),
          );
        }
      }
    }
  }
  return out;
};

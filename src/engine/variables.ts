import type { ExecutionState } from "./execution-state.js";

/** `#{Namespace.Name}`: namespaces and names are case-sensitive (spec §6.1). */
const REFERENCE = /#\{([^}.]+)\.([^}]+)\}/gu;

export type Resolution<T> = { ok: true; value: T } | { ok: false; reference: string; reason: string };

/** Looks a variable up in an execution: `codepipeline`, `variables`, then action namespaces. */
export function lookupVariable(state: ExecutionState, namespace: string, name: string): string | undefined {
  if (namespace === "codepipeline") return name === "PipelineExecutionId" ? state.executionId : undefined;
  if (namespace === "variables") return state.variables.find((v) => v.name === name)?.resolvedValue;
  return state.namespaces[namespace]?.[name];
}

/** Substitutes every reference in `text`; the first one that cannot be resolved is reported. */
export function resolveText(state: ExecutionState, text: string): Resolution<string> {
  let missing: { reference: string; reason: string } | undefined;
  const value = text.replace(REFERENCE, (reference, namespace: string, name: string) => {
    const found = lookupVariable(state, namespace, name);
    if (found !== undefined) return found;
    missing ??= { reference, reason: missingReason(state, namespace, name) };
    return reference;
  });
  return missing ? { ok: false, ...missing } : { ok: true, value };
}

/** Resolves every value of a configuration map (keys are left alone). */
export function resolveMap(
  state: ExecutionState,
  map: Readonly<Record<string, string>>,
): Resolution<Record<string, string>> & { key?: string } {
  const out: Record<string, string> = {};
  for (const [key, text] of Object.entries(map)) {
    const resolved = resolveText(state, text);
    if (!resolved.ok) return { ...resolved, key };
    out[key] = resolved.value;
  }
  return { ok: true, value: out };
}

function missingReason(state: ExecutionState, namespace: string, name: string): string {
  if (namespace === "codepipeline") return "the codepipeline namespace only has PipelineExecutionId";
  if (namespace === "variables") return `pipeline variable '${name}' has no value in this execution`;
  const ns = state.namespaces[namespace];
  if (!ns)
    return `no action that ran before it in this execution emitted variables under namespace '${namespace}'`;
  const names = Object.keys(ns);
  return `namespace '${namespace}' has no variable '${name}'${names.length ? ` (it has ${names.join(", ")})` : ""}`;
}

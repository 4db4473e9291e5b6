import type { ExecutionMode } from "../../src/model/declaration.js";
import { brokenInvariants } from "./invariants.js";
import { applyOperation, drain, type Operation, planVariants } from "./operations.js";
import { Sim } from "./sim.js";

/** Runs one sequence; throws with the step and the broken invariants when one breaks. */
export function runSequence(mode: ExecutionMode, ops: readonly Operation[]): void {
  const variants = planVariants(mode);
  const sim = new Sim(variants[0]!);
  ops.forEach((o, index) => {
    applyOperation(sim, o, variants);
    const broken = brokenInvariants(sim);
    if (broken.length > 0)
      throw new Error(`after step ${index} (${JSON.stringify(o)}): ${broken.join("; ")}`);
  });
  const stuck = drain(sim);
  const broken = brokenInvariants(sim);
  if (stuck.length > 0 || broken.length > 0) {
    throw new Error(`after draining: ${[...broken, ...stuck.map((s) => `${s} never ended`)].join("; ")}`);
  }
}

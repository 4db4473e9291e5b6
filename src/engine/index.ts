/**
 * engine: PURE. The execution state machine of CodePipeline (spec §5-§6), with no I/O, no
 * clock and no randomness: the shell hands in the time and fresh ids and gets data back.
 *
 * Owns: statuses (AWS's strings), the execution plan (`planExecution`), execution events and
 * their fold (`applyEvent`, `replay`), the lanes that lock stages between executions, the
 * decisions that move executions (`advance`: `decideExecution` per execution, then `admit`), and
 * the inputs users and workers send (`commands.ts`: start, stop, retry, approvals, job outcomes,
 * transitions, rollbacks), each checking AWS's preconditions.
 *
 * Does not own: loading or storing (runtime/ and store/), running actions (providers/), or the
 * wire format (api/). docs/lifecycle.md draws the lifecycles these functions implement.
 */
export * from "./advance.js";
export * from "./apply-event.js";
export * from "./commands.js";
export * from "./events.js";
export * from "./execution-state.js";
export * from "./lanes.js";
export * from "./outcome.js";
export * from "./plan.js";
export * from "./plan-execution.js";
export * from "./statuses.js";
export * from "./world.js";

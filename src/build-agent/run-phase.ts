import { type BuildPhaseType, type BuildStatus, shouldRetry } from "../buildspec/build-phases.js";
import type { BuildspecPhase } from "../buildspec/types.js";
import type { BuildLog } from "./build-log.js";
import type { PreparedBuild } from "./download-source.js";
import type { PhaseContext } from "./phase-tracker.js";
import type { RunState } from "./run-build.js";

export interface PhaseOutcome {
  readonly status: BuildStatus;
  readonly context?: PhaseContext;
}

/**
 * One buildspec phase (spec §3.4, §4.3, §4.4): `commands` in order until one fails, then
 * `finally` in full; the phase fails when any of them failed, with the first failure in the
 * context. `on-failure: RETRY...` reruns the phase (commands and finally) while the rule allows.
 * An undeclared phase succeeds at once. When the build is interrupted the caller decides the
 * status; this returns as soon as the running command is killed.
 */
export async function runBuildspecPhase(
  phase: BuildPhaseType,
  spec: BuildspecPhase | undefined,
  prepared: PreparedBuild,
  state: RunState,
  log: BuildLog,
): Promise<PhaseOutcome> {
  if (!spec) return { status: "SUCCEEDED" };
  for (let retries = 0; ; retries++) {
    const outcome = await runOnce(spec, prepared, state, log);
    if (outcome.status === "SUCCEEDED" || state.interrupted) return outcome;
    if (!shouldRetry(spec.onFailure, retries, outcome.context?.message ?? "")) return outcome;
    const limit = spec.onFailure?.kind === "RETRY" ? spec.onFailure.count : 0;
    log.agent(`Phase ${phase} failed; retrying it (retry ${retries + 1} of ${limit})`);
  }
}

async function runOnce(
  spec: BuildspecPhase,
  prepared: PreparedBuild,
  state: RunState,
  log: BuildLog,
): Promise<PhaseOutcome> {
  let failure: PhaseContext | undefined;
  for (const command of spec.commands) {
    const status = await runCommand(command, prepared, state, log);
    if (status === undefined) return { status: "FAILED" };
    if (status !== 0) {
      failure = commandFailure(command, status);
      break;
    }
  }
  for (const command of spec.finally) {
    const status = await runCommand(command, prepared, state, log);
    if (status === undefined) return { status: "FAILED" };
    if (status !== 0) failure ??= commandFailure(command, status);
  }
  return failure ? { status: "FAILED", context: failure } : { status: "SUCCEEDED" };

  function commandFailure(command: string, status: number): PhaseContext {
    log.agent(`Command did not exit successfully ${command} exit status ${status}`);
    state.succeeding = false;
    return {
      statusCode: "COMMAND_EXECUTION_ERROR",
      message: `Error while executing command: ${command}. Reason: exit status ${status}`,
    };
  }
}

/** Runs one command; its exit status, or undefined when the build was interrupted under it. */
async function runCommand(
  command: string,
  prepared: PreparedBuild,
  state: RunState,
  log: BuildLog,
): Promise<number | undefined> {
  const shell = state.shell;
  if (!shell || state.interrupted) return undefined;
  log.agent(`Running command ${command}`);
  // Version 0.1 runs every command in a fresh shell: a subshell keeps cd and variables local.
  const text = prepared.buildspec.version === "0.1" ? `(\n${command}\n)` : command;
  const result = await shell.run(text, { succeeding: state.succeeding, lastExit: state.lastExit });
  if (result.kind === "killed") return undefined;
  state.lastExit = result.status;
  return result.status;
}

import {
  type AgentPhase,
  type BuildPhaseType,
  type BuildStatus,
  buildspecPhaseOf,
  nextPhase,
  overallStatus,
} from "../buildspec/build-phases.js";
import type { Buildspec } from "../buildspec/types.js";
import { BuildLog } from "./build-log.js";
import { downloadSource, type PreparedBuild } from "./download-source.js";
import { type BuildLayout, createLayout, mountsFor, removeSessionDir } from "./layout.js";
import { PhaseTracker } from "./phase-tracker.js";
import { runBuildspecPhase } from "./run-phase.js";
import type { BuildShell } from "./session/build-shell.js";
import type { AgentRequest, AgentResult, BuildAgent, CollectedReport, ProducedArtifact } from "./types.js";
import { uploadArtifacts } from "./upload-artifacts.js";

/** The build agent: runs builds one call at a time each, many calls at once. */
export function createBuildAgent(): BuildAgent {
  return { run: runBuild };
}

/** Why a build is being cut short. */
export type Interruption = "STOPPED" | "TIMED_OUT";

/**
 * Mutable state of one running build, shared by the phase steps. `succeeding` is
 * CODEBUILD_BUILD_SUCCEEDING; `interrupted` is set by StopBuild or the build timeout, which also
 * kill the shell so the running command ends at once.
 */
export interface RunState {
  succeeding: boolean;
  lastExit: number;
  interrupted: Interruption | undefined;
  shell: BuildShell | undefined;
}

/**
 * Runs one build through CodeBuild's phases (spec/buildspec.md §4): PROVISIONING,
 * DOWNLOAD_SOURCE (sources, buildspec, variables, cache, shell), the buildspec phases with
 * CodeBuild's transitions after a failure, UPLOAD_ARTIFACTS (exported variables frozen,
 * artifacts zipped, reports read, cache saved), FINALIZING (the shell and everything it left
 * running are ended) and COMPLETED. Never rejects for a build problem: those are phase
 * statuses. Rejects only when the agent itself breaks (a bug, a full disk).
 */
export async function runBuild(req: AgentRequest): Promise<AgentResult> {
  const log = new BuildLog(req.listener.log, req.now);
  const tracker = new PhaseTracker(req.now, req.listener, log);
  const state: RunState = { succeeding: true, lastExit: 0, interrupted: undefined, shell: undefined };
  const interrupt = (why: Interruption) => {
    if (state.interrupted) return;
    state.interrupted = why;
    void state.shell?.kill();
  };
  const timer = setTimeout(() => interrupt("TIMED_OUT"), req.timeoutMs);
  const onAbort = () => interrupt("STOPPED");
  if (req.signal.aborted) onAbort();
  req.signal.addEventListener("abort", onAbort);
  let prepared: PreparedBuild | undefined;
  let exported: { name: string; value: string }[] = [];
  let artifacts: ProducedArtifact[] = [];
  let reports: CollectedReport[] = [];
  let created: BuildLayout | undefined;
  try {
    const layout = await createLayout(req.root, {
      ...(req.primarySourceDir === undefined ? {} : { primary: req.primarySourceDir }),
      secondaryIds: req.secondarySourceIds,
    });
    created = layout;
    const mounts = mountsFor(layout, req.executor.kind);

    tracker.begin("PROVISIONING");
    log.agent(`Running on Pipewright: ${req.executor.describe()}`);
    if (req.executorNotice) log.agent(req.executorNotice);
    tracker.end("SUCCEEDED", undefined, false);

    let phase: AgentPhase = "DOWNLOAD_SOURCE";
    let buildspec: Buildspec | undefined;
    while (phase !== "COMPLETED") {
      tracker.begin(phase);
      const outcome = await runPhase(phase);
      if (outcome.status !== "SUCCEEDED") state.succeeding = false;
      tracker.end(outcome.status, outcome.context, phase !== "FINALIZING");
      const bsPhase = buildspecPhaseOf[phase];
      phase = nextPhase(phase, outcome.status, bsPhase ? buildspec?.phases[bsPhase]?.onFailure : undefined);
    }
    tracker.begin("COMPLETED");

    async function runPhase(
      phase: AgentPhase,
    ): Promise<{ status: BuildStatus; context?: { statusCode: string; message: string } }> {
      if (state.interrupted && phase !== "FINALIZING") return interruptedOutcome(state.interrupted, req);
      switch (phase) {
        case "DOWNLOAD_SOURCE": {
          const result = await downloadSource(req, layout, mounts, log, state);
          if (!result.ok) return { status: "FAILED", context: result.context };
          prepared = result.prepared;
          buildspec = prepared.buildspec;
          if (state.interrupted) return interruptedOutcome(state.interrupted, req);
          return { status: "SUCCEEDED" };
        }
        case "INSTALL":
        case "PRE_BUILD":
        case "BUILD":
        case "POST_BUILD": {
          const name = buildspecPhaseOf[phase];
          if (!prepared || !name) throw new Error(`phase ${phase} without a prepared build`);
          log.agent(`Entering phase ${phase}`);
          const outcome = await runBuildspecPhase(
            phase,
            prepared.buildspec.phases[name],
            prepared,
            state,
            log,
          );
          if (state.interrupted) return interruptedOutcome(state.interrupted, req);
          return outcome;
        }
        case "UPLOAD_ARTIFACTS": {
          if (!prepared) throw new Error("UPLOAD_ARTIFACTS without a prepared build");
          const result = await uploadArtifacts(req, prepared, state, log);
          exported = result.exported;
          artifacts = result.artifacts;
          reports = result.reports;
          if (state.interrupted) return interruptedOutcome(state.interrupted, req);
          return result.outcome;
        }
        case "FINALIZING":
          await state.shell?.close();
          return { status: "SUCCEEDED" };
        default:
          throw new Error(`unexpected phase ${phase satisfies BuildPhaseType}`);
      }
    }
  } finally {
    clearTimeout(timer);
    req.signal.removeEventListener("abort", onAbort);
    await state.shell?.kill();
    if (created) await removeSessionDir(created);
  }
  const statuses = tracker.phases.flatMap((p) => (p.phaseStatus ? [p.phaseStatus] : []));
  return {
    buildStatus: overallStatus(statuses),
    phases: tracker.phases,
    exportedVariables: exported,
    artifacts,
    reports,
    ...(prepared?.source.resolvedSourceVersion === undefined
      ? {}
      : { resolvedSourceVersion: prepared.source.resolvedSourceVersion }),
    mask: log.masker(),
  };
}

function interruptedOutcome(
  why: Interruption,
  req: AgentRequest,
): { status: BuildStatus; context: { statusCode: string; message: string } } {
  if (why === "TIMED_OUT") {
    const minutes = Math.round(req.timeoutMs / 60_000);
    return {
      status: "TIMED_OUT",
      context: {
        statusCode: "BUILD_TIMED_OUT",
        message: `Build has timed out after ${minutes >= 1 ? `${minutes} minute(s)` : `${req.timeoutMs} ms`}`,
      },
    };
  }
  return { status: "STOPPED", context: { statusCode: "BUILD_STOPPED", message: "Build was stopped" } };
}

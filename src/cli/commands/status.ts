import type { PipelineExecutionSummary, PipelineState } from "../../client/codepipeline-client.js";
import { type ClientContext, formatTime } from "../client-context.js";
import { ExitCode } from "../exit-codes.js";
import type { Style } from "../style.js";

export interface StatusOptions {
  readonly pipeline: string;
  readonly watch: boolean;
  readonly intervalMs: number;
}

interface Snapshot {
  readonly state: PipelineState;
  readonly execution: PipelineExecutionSummary | undefined;
}

const ENDED = new Set(["Succeeded", "Failed", "Stopped", "Superseded", "Cancelled"]);

/**
 * `pipewright status PIPELINE [--watch]`: GetPipelineState (stages, actions, statuses) and the
 * latest execution (ListPipelineExecutions: status, source revisions). Exit code 1 when that
 * execution Failed or was Stopped. `--watch` redraws until the latest execution has ended (in
 * place on a terminal; elsewhere a new block, or a JSON line, whenever something changed).
 */
export async function statusCommand(ctx: ClientContext, o: StatusOptions): Promise<ExitCode> {
  let previous = "";
  let drawnLines = 0;
  for (;;) {
    const [state, execution] = await Promise.all([
      ctx.codepipeline.getPipelineState(o.pipeline),
      ctx.codepipeline.latestExecution(o.pipeline),
    ]);
    const snapshot: Snapshot = { state, execution };
    const text = ctx.json
      ? `${JSON.stringify(snapshot, null, o.watch ? 0 : 2)}\n`
      : renderStatus(snapshot, ctx.style);
    if (text !== previous) {
      if (o.watch && ctx.io.isTty && !ctx.json && drawnLines > 0)
        ctx.io.stdout(`\u001b[${drawnLines}F\u001b[J`);
      else if (o.watch && previous !== "" && !ctx.json) ctx.io.stdout("\n");
      ctx.io.stdout(text);
      drawnLines = text.split("\n").length - 1;
      previous = text;
    }
    const running = !execution || !ENDED.has(execution.status) || stagesRunning(state);
    if (!o.watch || !running || ctx.signal?.aborted) return exitCodeOf(execution);
    await ctx.sleep(o.intervalMs, ctx.signal);
    if (ctx.signal?.aborted) return exitCodeOf(execution);
  }
}

function stagesRunning(state: PipelineState): boolean {
  return (state.stageStates ?? []).some((s) => s.latestExecution?.status === "InProgress");
}

function exitCodeOf(execution: PipelineExecutionSummary | undefined): ExitCode {
  return execution && (execution.status === "Failed" || execution.status === "Stopped")
    ? ExitCode.failed
    : ExitCode.ok;
}

/** The human view of a pipeline's state: one line per stage and per action. */
export function renderStatus({ state, execution }: Snapshot, style: Style): string {
  const lines: string[] = [];
  const version = state.pipelineVersion === undefined ? "" : ` (version ${state.pipelineVersion})`;
  lines.push(style.bold(`Pipeline ${state.pipelineName}${version}`));
  if (execution) {
    const took = execution.startTime === undefined ? "" : `, started ${formatTime(execution.startTime)}`;
    const summary = execution.statusSummary ? ` - ${execution.statusSummary}` : "";
    lines.push(
      `  execution ${execution.pipelineExecutionId} ${style.status(execution.status)}${took}${summary}`,
    );
    for (const r of execution.sourceRevisions ?? []) {
      const what = r.revisionSummary ? ` ${firstLine(r.revisionSummary)}` : "";
      lines.push(`  revision  ${r.actionName}: ${short(r.revisionId)}${what}`);
    }
  } else {
    lines.push(`  no executions yet (pipewright start ${state.pipelineName})`);
  }
  const stages = state.stageStates ?? [];
  const width = Math.max(
    8,
    ...stages.flatMap((s) => [
      s.stageName.length,
      ...(s.actionStates ?? []).map((a) => a.actionName.length + 2),
    ]),
  );
  for (const stage of stages) {
    const transition =
      stage.inboundTransitionState?.enabled === false
        ? style.dim(
            `  (transition disabled${stage.inboundTransitionState.disabledReason ? `: ${stage.inboundTransitionState.disabledReason}` : ""})`,
          )
        : "";
    const status = stage.latestExecution?.status ?? "-";
    lines.push(`${stage.stageName.padEnd(width)}  ${style.status(status)}${transition}`);
    for (const action of stage.actionStates ?? []) {
      const e = action.latestExecution;
      const details = [
        action.currentRevision?.revisionId ? short(action.currentRevision.revisionId) : "",
        e?.summary ? firstLine(e.summary) : "",
        e?.errorDetails?.message ? `error: ${firstLine(e.errorDetails.message)}` : "",
        e?.token && e.status === "InProgress"
          ? `waiting for approval: pipewright approve ${state.pipelineName} ${stage.stageName} ${action.actionName}`
          : "",
        e?.externalExecutionId && !e.token ? `(${e.externalExecutionId})` : "",
      ].filter(Boolean);
      const name = `  ${action.actionName}`.padEnd(width);
      lines.push(
        `${name}  ${style.status(e?.status ?? "-")}${details.length > 0 ? `  ${details.join("  ")}` : ""}`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

function short(revision: string | undefined): string {
  if (!revision) return "-";
  return /^[0-9a-f]{40}$/.test(revision) ? revision.slice(0, 10) : revision;
}

function firstLine(text: string): string {
  const line = text.split("\n")[0] ?? "";
  return line.length > 100 ? `${line.slice(0, 97)}...` : line;
}

import { type ClientContext, CommandFailure } from "../client-context.js";
import { ExitCode } from "../exit-codes.js";

// The commands that change an execution: start, approve, retry, stop. Each prints one line
// (or its answer as JSON) and exits 0 when the server accepted the request.

function done(ctx: ClientContext, json: object, text: string): ExitCode {
  ctx.io.stdout(ctx.json ? `${JSON.stringify(json, null, 2)}\n` : `${text}\n`);
  return ExitCode.ok;
}

/** `pipewright start PIPELINE`: StartPipelineExecution. */
export async function startCommand(ctx: ClientContext, pipeline: string): Promise<ExitCode> {
  const out = await ctx.codepipeline.startPipelineExecution(pipeline);
  return done(
    ctx,
    out,
    `Started ${pipeline} execution ${out.pipelineExecutionId} (pipewright status ${pipeline} --watch)`,
  );
}

export interface ApproveOptions {
  readonly pipeline: string;
  readonly stage: string;
  readonly action: string;
  readonly reject: boolean;
  readonly summary?: string;
}

/**
 * `pipewright approve PIPELINE STAGE ACTION [--reject] [--summary TEXT]`: PutApprovalResult
 * with the token GetPipelineState shows for the waiting approval.
 */
export async function approveCommand(ctx: ClientContext, o: ApproveOptions): Promise<ExitCode> {
  const state = await ctx.codepipeline.getPipelineState(o.pipeline);
  const stage = state.stageStates?.find((s) => s.stageName === o.stage);
  if (!stage) {
    throw new CommandFailure(
      ExitCode.notFound,
      `pipeline ${o.pipeline} has no stage ${o.stage} (stages: ${(state.stageStates ?? []).map((s) => s.stageName).join(", ")})`,
    );
  }
  const action = stage.actionStates?.find((a) => a.actionName === o.action);
  if (!action) {
    throw new CommandFailure(
      ExitCode.notFound,
      `stage ${o.stage} has no action ${o.action} (actions: ${(stage.actionStates ?? []).map((a) => a.actionName).join(", ")})`,
    );
  }
  const token = action.latestExecution?.status === "InProgress" ? action.latestExecution.token : undefined;
  if (!token) {
    throw new CommandFailure(
      ExitCode.failed,
      `${o.stage} ${o.action} is not waiting for approval (its latest status is ${action.latestExecution?.status ?? "none"})`,
    );
  }
  const status = o.reject ? "Rejected" : "Approved";
  const out = await ctx.codepipeline.putApprovalResult({
    pipelineName: o.pipeline,
    stageName: o.stage,
    actionName: o.action,
    token,
    result: { status, summary: o.summary ?? `${status} with pipewright approve` },
  });
  return done(ctx, { status, ...out }, `${status} ${o.pipeline} ${o.stage} ${o.action}`);
}

/** `pipewright retry PIPELINE STAGE [--all-actions]`: RetryStageExecution of the stage's latest execution. */
export async function retryCommand(
  ctx: ClientContext,
  o: { pipeline: string; stage: string; allActions: boolean; executionId?: string },
): Promise<ExitCode> {
  let executionId = o.executionId;
  if (!executionId) {
    const state = await ctx.codepipeline.getPipelineState(o.pipeline);
    const stage = state.stageStates?.find((s) => s.stageName === o.stage);
    if (!stage) throw new CommandFailure(ExitCode.notFound, `pipeline ${o.pipeline} has no stage ${o.stage}`);
    executionId = stage.latestExecution?.pipelineExecutionId;
    if (!executionId)
      throw new CommandFailure(ExitCode.failed, `stage ${o.stage} has not run yet: nothing to retry`);
  }
  const retryMode = o.allActions ? "ALL_ACTIONS" : "FAILED_ACTIONS";
  const out = await ctx.codepipeline.retryStageExecution({
    pipelineName: o.pipeline,
    stageName: o.stage,
    pipelineExecutionId: executionId,
    retryMode,
  });
  return done(
    ctx,
    out,
    `Retrying ${o.stage} (${retryMode}) of ${o.pipeline} execution ${out.pipelineExecutionId}`,
  );
}

/** `pipewright stop PIPELINE EXECUTION_ID [--abandon] [--reason TEXT]`: StopPipelineExecution. */
export async function stopCommand(
  ctx: ClientContext,
  o: { pipeline: string; executionId: string; abandon: boolean; reason?: string },
): Promise<ExitCode> {
  const out = await ctx.codepipeline.stopPipelineExecution({
    pipelineName: o.pipeline,
    pipelineExecutionId: o.executionId,
    abandon: o.abandon,
    ...(o.reason === undefined ? {} : { reason: o.reason }),
  });
  return done(
    ctx,
    out,
    `${o.abandon ? "Abandoning" : "Stopping"} ${o.pipeline} execution ${out.pipelineExecutionId}`,
  );
}

import type { ArtifactLocation } from "../../engine/execution-state.js";
import type { ActionOutcome } from "../../engine/outcome.js";
import type { ActionTypeId } from "../../model/declaration.js";
import type { ActionContext, ActionProvider } from "../types.js";

/** What the Invoke action needs from the server; main/functions.ts provides it. */
export interface LambdaInvokeDeps {
  /**
   * Runs the function once with `event` (a RequestResponse invocation inside Pipewright, which
   * to the pipeline is the asynchronous invocation AWS makes) and resolves when it has ended.
   */
  invoke(
    scope: { accountId: string; region: string },
    functionName: string,
    event: Uint8Array,
    signal: AbortSignal,
  ): Promise<
    | {
        ok: true;
        /** The invocation's request id (Lambda's), kept as the action's external execution id. */
        requestId: string;
        functionError?: string;
        error?: { errorType: string; errorMessage: string };
        log: string;
        durationMs: number;
      }
    | { ok: false; message: string }
  >;
  /** Whether the job still waits for PutJobSuccessResult / PutJobFailureResult. */
  awaitingResult(jobId: string): Promise<boolean>;
  /** JobData.artifactCredentials for the job (the same keys PollForJobs hands a worker). */
  artifactCredentials(jobId: string): { accessKeyId: string; secretAccessKey: string; sessionToken: string };
  /** Makes the output artifacts' bucket exist, so the function can PutObject its outputs. */
  prepareOutputs(ctx: ActionContext): Promise<void>;
  /**
   * How long to wait, after the function ended, for a result request it sent just before
   * (the request may still be in the server's hands). Default 250 ms.
   */
  readonly graceMs?: number;
}

const GRACE_MS = 250;

export const LAMBDA_INVOKE_ACTION_TYPES = [
  { category: "Invoke", owner: "AWS", provider: "Lambda", version: "1" },
] as const satisfies readonly ActionTypeId[];

function artifact(a: ArtifactLocation) {
  return {
    name: a.name,
    revision: a.revision ?? null,
    location: { type: "S3", s3Location: { bucketName: a.bucket, objectKey: a.key } },
  };
}

/** The event CodePipeline invokes the function with (spec §8.4): the job, without actionTypeId and pipelineContext. */
export function codePipelineJobEvent(
  ctx: ActionContext,
  credentials: ReturnType<LambdaInvokeDeps["artifactCredentials"]>,
) {
  const configuration: Record<string, string> = { FunctionName: ctx.configuration.FunctionName ?? "" };
  if (ctx.configuration.UserParameters !== undefined)
    configuration.UserParameters = ctx.configuration.UserParameters;
  return {
    "CodePipeline.job": {
      id: ctx.jobId,
      accountId: ctx.accountId,
      data: {
        actionConfiguration: { configuration },
        inputArtifacts: ctx.inputArtifacts.map(artifact),
        outputArtifacts: ctx.outputArtifacts.map(artifact),
        artifactCredentials: credentials,
        ...(ctx.continuationToken === undefined ? {} : { continuationToken: ctx.continuationToken }),
        ...(ctx.job.encryptionKey ? { encryptionKey: ctx.job.encryptionKey } : {}),
      },
    },
  };
}

/**
 * The Invoke/Lambda action (spec §7.7, §8.4): each job of the action invokes `FunctionName`
 * with the CodePipeline job event, and the function ends the job itself with
 * PutJobSuccessResult / PutJobFailureResult (the job is InProgress, held by this worker, so the
 * API takes the result); a continuationToken makes the runtime offer a continuation job, which
 * invokes the function again with `data.continuationToken`. Output variables come with the
 * final PutJobSuccessResult.
 *
 * Deliberately unlike AWS: when the function ends (returns, throws, times out) and the job is
 * still waiting for its result, the action fails at once with a message naming the fix and the
 * function's error, instead of staying InProgress until its 20-minute timeout.
 */
export function createLambdaInvokeProvider(deps: LambdaInvokeDeps): ActionProvider {
  const graceMs = deps.graceMs ?? GRACE_MS;
  async function run(ctx: ActionContext): Promise<ActionOutcome> {
    const name = ctx.configuration.FunctionName ?? "";
    await deps.prepareOutputs(ctx);
    const event = codePipelineJobEvent(ctx, deps.artifactCredentials(ctx.jobId));
    const scope = { accountId: ctx.accountId, region: ctx.region };
    const ran = await deps.invoke(scope, name, new TextEncoder().encode(JSON.stringify(event)), ctx.signal);
    if (!ran.ok) return { kind: "failed", failure: { type: "ConfigurationError", message: ran.message } };
    for (const line of ran.log.replace(/\n$/u, "").split("\n")) ctx.log.write(line);
    // Answered while it ran: the job is done and this outcome is not recorded (InvalidJobState).
    if (!(await deps.awaitingResult(ctx.jobId))) return { kind: "awaitingCallback" };
    // Real time, not ctx.clock: this waits for a request already sent, not for anything the clock schedules.
    for (let waited = 0; waited < graceMs; waited += 25) {
      await new Promise((wake) => setTimeout(wake, 25));
      if (!(await deps.awaitingResult(ctx.jobId))) return { kind: "awaitingCallback" };
    }
    const how = ran.error
      ? ran.error.errorType === "Sandbox.Timedout"
        ? ` (it timed out: ${ran.error.errorMessage.replace(/^\S+ \S+ /u, "")})`
        : ` (it failed with ${ran.error.errorType}: ${ran.error.errorMessage})`
      : "";
    // The log's last lines, without START/END/REPORT: what the function said before it ended.
    const said = ran.log
      .split("\n")
      .filter((line) => line !== "" && !/^(START|END|REPORT) RequestId: /u.test(line))
      .slice(-5)
      .join("\n");
    return {
      kind: "failed",
      ...(said === "" ? {} : { summary: `Function log (last lines): ${said.slice(-1500)}` }),
      failure: {
        type: "JobFailed",
        externalExecutionId: ran.requestId,
        message: `The AWS Lambda function ${name} returned without calling PutJobSuccessResult or PutJobFailureResult for job ${ctx.jobId}${how}. Call codepipeline.putJobSuccessResult({jobId}) or putJobFailureResult({jobId, failureDetails}) with the id from event["CodePipeline.job"].id before the handler ends.`,
      },
    };
  }
  return {
    actionTypeIds: LAMBDA_INVOKE_ACTION_TYPES,
    start: run,
    poll: run,
  };
}

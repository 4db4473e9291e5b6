import { AwsApiError } from "../../client/aws-json-client.js";
import type { ActionExecutionDetail } from "../../client/codepipeline-client.js";
import { type ClientContext, CommandFailure } from "../client-context.js";
import { ExitCode, UsageError } from "../exit-codes.js";

export interface LogsOptions {
  /** A build id (`project:uuid`), or PIPELINE [STAGE [ACTION]]. */
  readonly target: readonly string[];
  readonly executionId?: string;
  readonly follow: boolean;
}

/**
 * `pipewright logs BUILD_ID` or `pipewright logs PIPELINE [STAGE [ACTION]]`: a build's log, or
 * the log of a pipeline action's build (ListActionExecutions gives the action's build id,
 * BatchGetBuilds where its log is). `-f` follows it until the build ends. Logs Pipewright
 * serves are streamed; a build on AWS keeps its log in CloudWatch Logs, which the command names
 * (and exits 1: reading CloudWatch Logs is not implemented).
 */
export async function logsCommand(ctx: ClientContext, o: LogsOptions): Promise<ExitCode> {
  const [first, stage, action, ...extra] = o.target;
  if (!first || extra.length > 0) throw new UsageError("logs takes BUILD_ID, or PIPELINE [STAGE [ACTION]]");
  const buildId = first.includes(":") ? first : await buildOfAction(ctx, first, stage, action, o.executionId);
  const build = await ctx.codebuild.getBuild(buildId);
  if (!build)
    throw new CommandFailure(
      ExitCode.notFound,
      `build ${buildId} not found (BatchGetBuilds lists it in buildsNotFound)`,
    );
  const source = ctx.codebuild.logSource(build);
  if (source.kind === "cloudwatch") {
    const where = source.groupName
      ? `CloudWatch Logs group ${source.groupName}${source.streamName ? ` stream ${source.streamName}` : ""} (aws logs tail ${source.groupName}${source.streamName ? ` --log-stream-names ${source.streamName}` : ""}${o.follow ? " --follow" : ""})`
      : "no log location (the build has not started, or its project sends no logs)";
    throw new CommandFailure(
      ExitCode.failed,
      `build ${buildId}'s log is in ${where}; pipewright logs reads the logs a Pipewright server keeps, not CloudWatch Logs`,
    );
  }
  let n = 0;
  try {
    for await (const line of ctx.codebuild.readLog(source.url, o.follow, ctx.signal)) {
      n += 1;
      ctx.io.stdout(ctx.json ? `${JSON.stringify({ buildId, line: n, text: line })}\n` : `${line}\n`);
    }
  } catch (error) {
    // Ctrl-C while following ends the command, not the build.
    if (ctx.signal?.aborted) return ExitCode.ok;
    if (error instanceof AwsApiError && error.status === 404) {
      throw new CommandFailure(
        ExitCode.notFound,
        `${error.message}: BatchGetBuilds knows the build, but the server's log endpoint serves the builds of its own region only (pipewright serve --region); this one is in ${ctx.config.region}`,
      );
    }
    throw error;
  }
  return ExitCode.ok;
}

/** The build id of the latest run of a pipeline's CodeBuild action (the only one, or the named one). */
async function buildOfAction(
  ctx: ClientContext,
  pipeline: string,
  stage: string | undefined,
  action: string | undefined,
  executionId: string | undefined,
): Promise<string> {
  const execution = executionId ?? (await ctx.codepipeline.latestExecution(pipeline))?.pipelineExecutionId;
  if (!execution) throw new CommandFailure(ExitCode.notFound, `pipeline ${pipeline} has no executions yet`);
  const details = await ctx.codepipeline.actionExecutions(pipeline, execution);
  const matching = details.filter(
    (d) =>
      (stage === undefined || d.stageName === stage) && (action === undefined || d.actionName === action),
  );
  const where = `${pipeline}${stage ? ` ${stage}` : ""}${action ? ` ${action}` : ""}`;
  if (matching.length === 0) {
    throw new CommandFailure(
      ExitCode.notFound,
      `no action ${where} ran in execution ${execution} (stages and actions are case-sensitive)`,
    );
  }
  const builds = latestPerAction(
    matching.filter((d) => d.output?.executionResult?.externalExecutionId?.includes(":")),
  );
  if (builds.length === 0) {
    const d = latestPerAction(matching)[0]!;
    const summary = d.output?.executionResult?.externalExecutionSummary;
    throw new CommandFailure(
      ExitCode.notFound,
      `${d.stageName} ${d.actionName} (${d.input?.actionTypeId?.provider ?? "?"}) has no build log: it is ${d.status ?? "not started"}${summary ? ` (${summary})` : ""}`,
    );
  }
  if (builds.length > 1) {
    throw new UsageError(
      `${where} ran ${builds.length} builds; name one: ${builds.map((b) => `pipewright logs ${pipeline} ${b.stageName} ${b.actionName}`).join(" | ")}`,
    );
  }
  return builds[0]!.output!.executionResult!.externalExecutionId!;
}

/** The latest attempt of each stage/action (a retried action runs again under a new id). */
function latestPerAction(details: readonly ActionExecutionDetail[]): ActionExecutionDetail[] {
  const latest = new Map<string, ActionExecutionDetail>();
  for (const d of details) {
    const key = `${d.stageName}/${d.actionName}`;
    const seen = latest.get(key);
    if (!seen || (d.startTime ?? 0) >= (seen.startTime ?? 0)) latest.set(key, d);
  }
  return [...latest.values()];
}

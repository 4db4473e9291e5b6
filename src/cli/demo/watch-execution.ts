import type {
  ActionExecutionDetail,
  PipelineExecutionSummary,
  PipelineState,
} from "../../client/codepipeline-client.js";
import type { DemoApi } from "./demo-api.js";
import { DEMO } from "./demo-names.js";

export interface StageTiming {
  readonly stage: string;
  readonly status: string;
  /** From the first action's start to the last action's last update (ListActionExecutions). */
  readonly ms: number;
  readonly message?: string;
}

export interface WatchedExecution {
  readonly executionId: string;
  readonly status: string;
  readonly stages: readonly StageTiming[];
  readonly ms: number;
}

export interface WatchOptions {
  /** Approve the manual approval by itself (--yes). */
  readonly yes: boolean;
  readonly print: (line: string) => void;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
  readonly timeoutMs: number;
}

const ENDED = new Set(["Succeeded", "Failed", "Stopped", "Superseded", "Cancelled"]);

/** The execution that a push of `commit` started (ListPipelineExecutions' source revisions). */
export async function executionOf(
  api: DemoApi,
  commit: string,
  o: Pick<WatchOptions, "sleep" | "now" | "timeoutMs">,
): Promise<string> {
  const deadline = o.now() + o.timeoutMs;
  for (;;) {
    const page = await api.call<{ pipelineExecutionSummaries?: PipelineExecutionSummary[] }>(
      "codepipeline",
      "ListPipelineExecutions",
      { pipelineName: DEMO.pipeline },
    );
    const found = page.pipelineExecutionSummaries?.find((e) =>
      e.sourceRevisions?.some((r) => r.revisionId === commit),
    );
    if (found) return found.pipelineExecutionId;
    if (o.now() > deadline)
      throw new Error(`no execution of pipeline ${DEMO.pipeline} started for commit ${commit}`);
    await o.sleep(200);
  }
}

function approvalLines(endpoint: string, token: string): string[] {
  return [
    "  Approve waits for a manual approval; answer it with any of:",
    `    aws codepipeline put-approval-result --endpoint-url ${endpoint} --pipeline-name ${DEMO.pipeline} --stage-name Approve --action-name Approve --token ${token} --result summary=ok,status=Approved`,
    `    pipewright approve ${DEMO.pipeline} Approve Approve --endpoint-url ${endpoint}`,
    `    the console: ${endpoint}/console/pipelines/us-east-1/${DEMO.pipeline} (Review, Approve)`,
  ];
}

/**
 * Follows one execution to its end, printing each stage as it starts and ends (GetPipelineState
 * every 250 ms), answers the approval itself with `yes` (else prints how to), and returns the
 * status with each stage's wall time from ListActionExecutions.
 */
export async function watchExecution(
  api: DemoApi,
  executionId: string,
  o: WatchOptions,
): Promise<WatchedExecution> {
  const started = o.now();
  const seen = new Map<string, string>();
  let approvalShown = false;
  let status = "InProgress";
  for (;;) {
    const [state, execution] = await Promise.all([
      api.call<PipelineState>("codepipeline", "GetPipelineState", { name: DEMO.pipeline }),
      api.call<{ pipelineExecution: { status: string } }>("codepipeline", "GetPipelineExecution", {
        pipelineName: DEMO.pipeline,
        pipelineExecutionId: executionId,
      }),
    ]);
    status = execution.pipelineExecution.status;
    for (const stage of state.stageStates ?? []) {
      const latest = stage.latestExecution;
      if (!latest || latest.pipelineExecutionId !== executionId) continue;
      const before = seen.get(stage.stageName);
      if (before !== latest.status) {
        seen.set(stage.stageName, latest.status);
        const at = ((o.now() - started) / 1000).toFixed(1).padStart(5);
        const failed = stage.actionStates?.find((a) => a.latestExecution?.status === "Failed");
        const why = failed?.latestExecution?.errorDetails?.message?.split("\n")[0];
        o.print(`  ${at} s  ${stage.stageName.padEnd(18)} ${latest.status}${why ? `: ${why}` : ""}`);
      }
      const approval = stage.actionStates?.find(
        (a) =>
          a.actionName === "Approve" && a.latestExecution?.status === "InProgress" && a.latestExecution.token,
      );
      if (approval?.latestExecution?.token && !approvalShown) {
        approvalShown = true;
        const token = approval.latestExecution.token;
        if (o.yes) {
          o.print("         Approve            approving by itself (--yes)");
          await api.call("codepipeline", "PutApprovalResult", {
            pipelineName: DEMO.pipeline,
            stageName: "Approve",
            actionName: "Approve",
            token,
            result: { status: "Approved", summary: "approved by pipewright demo --yes" },
          });
        } else {
          for (const line of approvalLines(api.endpoint, token)) o.print(line);
        }
      }
    }
    if (ENDED.has(status)) break;
    if (o.now() - started > o.timeoutMs && !(approvalShown && !o.yes)) {
      throw new Error(`execution ${executionId} still ${status} after ${o.timeoutMs / 1000} s`);
    }
    await o.sleep(250);
  }
  const ms = o.now() - started;
  return { executionId, status, stages: await stageTimings(api, executionId), ms };
}

/** The demo pipeline's stages, in order (demo-pipeline.ts). */
const STAGES = [
  "Source",
  "Build",
  "DeployIntegration",
  "IntegrationTest",
  "Cleanup",
  "Approve",
  "DeployProduction",
];

async function stageTimings(api: DemoApi, executionId: string): Promise<StageTiming[]> {
  const details: ActionExecutionDetail[] = [];
  let nextToken: string | undefined;
  do {
    const page = await api.call<{ actionExecutionDetails?: ActionExecutionDetail[]; nextToken?: string }>(
      "codepipeline",
      "ListActionExecutions",
      {
        pipelineName: DEMO.pipeline,
        filter: { pipelineExecutionId: executionId },
        ...(nextToken ? { nextToken } : {}),
      },
    );
    details.push(...(page.actionExecutionDetails ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  const timings: StageTiming[] = [];
  for (const stage of STAGES) {
    const actions = details.filter((d) => d.stageName === stage);
    if (actions.length === 0) continue;
    const start = Math.min(...actions.map((a) => a.startTime ?? Number.POSITIVE_INFINITY));
    const end = Math.max(...actions.map((a) => a.lastUpdateTime ?? a.startTime ?? 0));
    const failed = actions.find((a) => a.status === "Failed");
    const running = actions.find((a) => a.status === "InProgress");
    const message = failed?.output?.executionResult?.errorDetails?.message;
    timings.push({
      stage,
      status: failed ? "Failed" : running ? "InProgress" : (actions[0]?.status ?? "-"),
      ms: Math.max(0, Math.round((end - start) * 1000)),
      ...(message ? { message } : {}),
    });
  }
  return timings;
}

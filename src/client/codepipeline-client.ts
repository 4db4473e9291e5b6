import { type ClientConfig, callJson } from "./aws-json-client.js";

// The members of CodePipeline's answers the CLI reads (botocore codepipeline/2015-07-09).
// Timestamps are epoch seconds, as JSON 1.1 sends them.

export interface PipelineSummary {
  readonly name: string;
  readonly version?: number;
  readonly pipelineType?: string;
  readonly executionMode?: string;
  readonly created?: number;
  readonly updated?: number;
}

export interface ActionState {
  readonly actionName: string;
  readonly currentRevision?: { readonly revisionId?: string };
  readonly latestExecution?: {
    readonly actionExecutionId?: string;
    readonly status?: string;
    readonly summary?: string;
    readonly lastStatusChange?: number;
    readonly token?: string;
    readonly externalExecutionId?: string;
    readonly externalExecutionUrl?: string;
    readonly errorDetails?: { readonly code?: string; readonly message?: string };
  };
}

export interface StageState {
  readonly stageName: string;
  readonly inboundTransitionState?: { readonly enabled?: boolean; readonly disabledReason?: string };
  readonly actionStates?: readonly ActionState[];
  readonly latestExecution?: { readonly pipelineExecutionId: string; readonly status: string };
}

export interface PipelineState {
  readonly pipelineName: string;
  readonly pipelineVersion?: number;
  readonly stageStates?: readonly StageState[];
  readonly created?: number;
  readonly updated?: number;
}

export interface PipelineExecutionSummary {
  readonly pipelineExecutionId: string;
  readonly status: string;
  readonly statusSummary?: string;
  readonly startTime?: number;
  readonly lastUpdateTime?: number;
  readonly sourceRevisions?: readonly {
    readonly actionName: string;
    readonly revisionId?: string;
    readonly revisionSummary?: string;
    readonly revisionUrl?: string;
  }[];
  readonly trigger?: { readonly triggerType?: string; readonly triggerDetail?: string };
}

export interface ActionExecutionDetail {
  readonly pipelineExecutionId: string;
  readonly actionExecutionId: string;
  readonly stageName: string;
  readonly actionName: string;
  readonly startTime?: number;
  readonly lastUpdateTime?: number;
  readonly status?: string;
  readonly input?: {
    readonly actionTypeId?: { readonly category: string; readonly owner: string; readonly provider: string };
  };
  readonly output?: {
    readonly executionResult?: {
      readonly externalExecutionId?: string;
      readonly externalExecutionSummary?: string;
      readonly externalExecutionUrl?: string;
      readonly errorDetails?: { readonly code?: string; readonly message?: string };
    };
  };
}

/** The CodePipeline operations `pipewright`'s client commands use. */
export function createCodePipelineClient(config: ClientConfig) {
  const call = <T>(op: string, input: object, region?: string) =>
    callJson<T>(config, "codepipeline", op, input, region);
  return {
    /** Every pipeline of one region (follows nextToken). */
    async listPipelines(region: string): Promise<PipelineSummary[]> {
      const out: PipelineSummary[] = [];
      let nextToken: string | undefined;
      do {
        const page = await call<{ pipelines?: PipelineSummary[]; nextToken?: string }>(
          "ListPipelines",
          nextToken ? { nextToken } : {},
          region,
        );
        out.push(...(page.pipelines ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
      return out;
    },
    getPipelineState: (name: string) => call<PipelineState>("GetPipelineState", { name }),
    async latestExecution(pipelineName: string): Promise<PipelineExecutionSummary | undefined> {
      const page = await call<{ pipelineExecutionSummaries?: PipelineExecutionSummary[] }>(
        "ListPipelineExecutions",
        { pipelineName, maxResults: 1 },
      );
      return page.pipelineExecutionSummaries?.[0];
    },
    async actionExecutions(
      pipelineName: string,
      pipelineExecutionId?: string,
    ): Promise<ActionExecutionDetail[]> {
      const out: ActionExecutionDetail[] = [];
      let nextToken: string | undefined;
      do {
        const page = await call<{ actionExecutionDetails?: ActionExecutionDetail[]; nextToken?: string }>(
          "ListActionExecutions",
          {
            pipelineName,
            ...(pipelineExecutionId ? { filter: { pipelineExecutionId } } : {}),
            ...(nextToken ? { nextToken } : {}),
          },
        );
        out.push(...(page.actionExecutionDetails ?? []));
        nextToken = page.nextToken;
      } while (nextToken && out.length < 1000);
      return out;
    },
    startPipelineExecution: (name: string) =>
      call<{ pipelineExecutionId: string }>("StartPipelineExecution", { name }),
    putApprovalResult: (input: {
      pipelineName: string;
      stageName: string;
      actionName: string;
      token: string;
      result: { status: "Approved" | "Rejected"; summary: string };
    }) => call<{ approvedAt?: number }>("PutApprovalResult", input),
    retryStageExecution: (input: {
      pipelineName: string;
      stageName: string;
      pipelineExecutionId: string;
      retryMode: "FAILED_ACTIONS" | "ALL_ACTIONS";
    }) => call<{ pipelineExecutionId: string }>("RetryStageExecution", input),
    stopPipelineExecution: (input: {
      pipelineName: string;
      pipelineExecutionId: string;
      abandon: boolean;
      reason?: string;
    }) => call<{ pipelineExecutionId: string }>("StopPipelineExecution", input),
  };
}

export type CodePipelineClient = ReturnType<typeof createCodePipelineClient>;

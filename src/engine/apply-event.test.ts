import { describe, expect, it } from "vitest";
import { applyEvent, replay } from "./apply-event.js";
import type { ExecutionEvent } from "./events.js";

const started: ExecutionEvent = {
  v: 1,
  at: 1,
  type: "ExecutionStarted",
  executionId: "e",
  pipelineName: "p",
  pipelineVersion: 1,
  executionMode: "SUPERSEDED",
  executionType: "STANDARD",
  trigger: { triggerType: "StartPipelineExecution" },
  variables: [],
  sourceRevisions: [],
  stageIndex: 0,
};
const entered: ExecutionEvent = { v: 1, at: 2, type: "StageEntered", stageName: "Source" };
const run = (id: string, extra = {}): ExecutionEvent => ({
  v: 1,
  at: 3,
  type: "ActionStarted",
  run: {
    actionExecutionId: id,
    stageName: "Source",
    actionName: `A-${id}`,
    actionTypeId: { category: "Source", owner: "AWS", provider: "X", version: "1" },
    startTime: 3,
    timeoutAt: 100,
    configuration: {},
    resolvedConfiguration: {},
    inputArtifacts: [],
    outputArtifacts: [{ name: "Out", bucket: "b", key: "p/Out/k" }],
    namespace: "NS",
    ...extra,
  },
});

describe("applyEvent", () => {
  it("refuses histories that cannot have happened", () => {
    expect(() => replay([])).toThrow("no events");
    expect(() => applyEvent(undefined, entered)).toThrow("before ExecutionStarted");
    expect(() => replay([started, started])).toThrow("started twice");
    expect(() => replay([started, run("x")])).toThrow("never entered");
    expect(() => replay([started, entered, run("x"), run("x")])).toThrow("started twice");
    expect(() =>
      replay([
        started,
        entered,
        { v: 1, at: 4, type: "ActionSucceeded", actionExecutionId: "nope", outputVariables: {} },
      ]),
    ).toThrow("no action execution nope");
  });

  it("a succeeded action publishes its artifacts, namespace variables and source revision", () => {
    const state = replay([
      started,
      entered,
      run("x"),
      {
        v: 1,
        at: 5,
        type: "ActionSucceeded",
        actionExecutionId: "x",
        outputVariables: { CommitId: "abc" },
        currentRevision: { revision: "abc", revisionSummary: "fix", changeIdentifier: "c1", created: 4 },
      },
    ]);
    expect(state.artifacts.Out).toEqual({ name: "Out", bucket: "b", key: "p/Out/k", revision: "abc" });
    expect(state.namespaces.NS).toEqual({ CommitId: "abc" });
    expect(state.artifactRevisions).toEqual([
      {
        name: "Out",
        actionName: "A-x",
        revisionId: "abc",
        revisionChangeIdentifier: "c1",
        revisionSummary: "fix",
        created: 4,
      },
    ]);
    expect(state.lastUpdateTime).toBe(5);
  });

  it("a FAILED_ACTIONS retry forgets failed runs but keeps succeeded and running ones", () => {
    const state = replay([
      started,
      entered,
      run("ok"),
      run("bad"),
      run("busy"),
      { v: 1, at: 5, type: "ActionSucceeded", actionExecutionId: "ok", outputVariables: {} },
      {
        v: 1,
        at: 6,
        type: "ActionFailed",
        actionExecutionId: "bad",
        errorDetails: { code: "JobFailed", message: "no" },
      },
      {
        v: 1,
        at: 7,
        type: "StageRetried",
        stageName: "Source",
        retryMode: "FAILED_ACTIONS",
        trigger: "ManualStageRetry",
      },
    ]);
    expect(Object.keys(state.stages.Source!.actions).sort()).toEqual(["A-busy", "A-ok"]);
    expect(state.stages.Source).toMatchObject({
      status: "InProgress",
      manualStageRetryAttempt: 1,
      latestRetryTrigger: "ManualStageRetry",
    });
    expect(state.actionRuns).toHaveLength(3);
    expect(state.status).toBe("InProgress");
  });
});

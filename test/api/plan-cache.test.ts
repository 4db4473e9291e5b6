import { describe, expect, it } from "vitest";
import { createTestWorld } from "../support/test-world.js";

// Issue 10 item 4: a compiled plan says how each action is dispatched; deleting a custom action
// type must not leave a cached plan dispatching its actions to workers that will never come.

const worker = { category: "Build", owner: "Custom", provider: "GoneSoon", version: "1" };

describe("the plan cache", () => {
  it("forgets plans that name a custom action type once the type is deleted", async () => {
    const world = createTestWorld({ startOnCreate: false });
    const created = await world.call("CreateCustomActionType", {
      ...worker,
      settings: {},
      configurationProperties: [],
      inputArtifactDetails: { minimumCount: 0, maximumCount: 1 },
      outputArtifactDetails: { minimumCount: 0, maximumCount: 0 },
    });
    expect(created.status).toBe(200);
    const pipeline = {
      name: "uses-custom",
      roleArn: "arn:aws:iam::123456789012:role/p",
      artifactStore: { type: "S3", location: "plan-cache-artifacts" },
      // PARALLEL: the second execution does not wait behind the first one's held Build stage.
      pipelineType: "V2",
      executionMode: "PARALLEL",
      stages: [
        {
          name: "Source",
          actions: [
            {
              name: "Fetch",
              actionTypeId: { category: "Source", owner: "AWS", provider: "PipewrightTest", version: "1" },
              outputArtifacts: [{ name: "Code" }],
            },
          ],
        },
        {
          name: "Build",
          actions: [{ name: "Work", actionTypeId: worker, inputArtifacts: [{ name: "Code" }] }],
        },
      ],
    };
    expect((await world.call("CreatePipeline", { pipeline })).status).toBe(200);
    // The first execution compiles (and caches) the plan while the type exists.
    await world.call("StartPipelineExecution", { name: "uses-custom" });
    await world.settle();
    const polled = await world.call("PollForJobs", { actionTypeId: worker, maxBatchSize: 1 });
    expect(polled.body.jobs).toHaveLength(1);

    expect((await world.call("DeleteCustomActionType", worker)).status).toBe(200);
    const second = await world.call("StartPipelineExecution", { name: "uses-custom" });
    await world.settle();
    const got = await world.call("GetPipelineExecution", {
      pipelineName: "uses-custom",
      pipelineExecutionId: second.body.pipelineExecutionId,
    });
    expect(got.body.pipelineExecution.status).toBe("Failed");
    const actions = await world.call("ListActionExecutions", {
      pipelineName: "uses-custom",
      filter: { pipelineExecutionId: second.body.pipelineExecutionId },
    });
    const work = actions.body.actionExecutionDetails.find(
      (a: { actionName: string }) => a.actionName === "Work",
    );
    expect(work.status).toBe("Failed");
    expect(JSON.stringify(work)).toContain("no longer exists (DeleteCustomActionType)");
  });
});

import { describe, expect, it } from "vitest";
import { renderStatus } from "./commands/status.js";
import { createStyle } from "./style.js";

const snapshot = {
  state: {
    pipelineName: "app",
    pipelineVersion: 2,
    stageStates: [
      {
        stageName: "Build",
        latestExecution: { pipelineExecutionId: "e1", status: "Failed" },
        actionStates: [
          {
            actionName: "Compile",
            latestExecution: {
              status: "Failed",
              errorDetails: { code: "JobFailed", message: "exit 2\nmore" },
            },
          },
        ],
      },
      {
        stageName: "Approve",
        inboundTransitionState: { enabled: false, disabledReason: "freeze" },
        actionStates: [{ actionName: "Gate" }],
      },
    ],
  },
  execution: { pipelineExecutionId: "e1", status: "Failed", startTime: 1_796_300_000 },
};

describe("human output", () => {
  it("is coloured on a terminal only, and never with NO_COLOR", () => {
    expect(createStyle(true, {}).status("Failed")).toBe("\u001b[31mFailed\u001b[0m");
    expect(createStyle(true, {}).status("Succeeded")).toBe("\u001b[32mSucceeded\u001b[0m");
    expect(createStyle(true, { NO_COLOR: "1" }).status("Failed")).toBe("Failed");
    expect(createStyle(false, {}).status("Failed")).toBe("Failed");
    expect(createStyle(true, { TERM: "dumb" }).bold("x")).toBe("x");
  });

  it("shows each stage and action with its status, error and disabled transition", () => {
    expect(renderStatus(snapshot, createStyle(false, {}))).toBe(
      [
        "Pipeline app (version 2)",
        "  execution e1 Failed, started 2026-12-03 12:13:20Z",
        "Build      Failed",
        "  Compile  Failed  error: exit 2",
        "Approve    -  (transition disabled: freeze)",
        "  Gate     -",
        "",
      ].join("\n"),
    );
    expect(renderStatus(snapshot, createStyle(true, {}))).toContain(
      "\u001b[31mFailed\u001b[0m  error: exit 2",
    );
  });
});

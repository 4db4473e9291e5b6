import { describe, expect, it } from "vitest";
import type { ClientContext } from "../client-context.js";
import { createStyle } from "../style.js";
import { statusCommand } from "./status.js";

/** A context whose CodePipeline answers from a script of (status of the execution) snapshots. */
function scripted(statuses: string[], isTty: boolean) {
  const out: string[] = [];
  let call = 0;
  let sleeps = 0;
  const current = () => statuses[Math.min(call, statuses.length - 1)]!;
  const ctx = {
    io: { stdout: (t: string) => out.push(t), stderr: () => {}, isTty, readFile: () => "" },
    json: false,
    style: createStyle(false, {}),
    now: () => 0,
    sleep: async () => {
      sleeps += 1;
      call += 1;
    },
    codepipeline: {
      getPipelineState: async () => ({
        pipelineName: "app",
        stageStates: [
          {
            stageName: "Build",
            latestExecution: { pipelineExecutionId: "e1", status: current() },
            actionStates: [{ actionName: "Compile", latestExecution: { status: current() } }],
          },
        ],
      }),
      latestExecution: async () => ({ pipelineExecutionId: "e1", status: current() }),
    },
  } as unknown as ClientContext;
  return { ctx, out, sleeps: () => sleeps };
}

describe("pipewright status --watch", () => {
  it("redraws in place on a terminal until the execution ends, with its exit code", async () => {
    const { ctx, out } = scripted(["InProgress", "InProgress", "Failed"], true);
    expect(await statusCommand(ctx, { pipeline: "app", watch: true, intervalMs: 10 })).toBe(1);
    // Two draws (the unchanged second snapshot is not redrawn); the second moves up over the first.
    expect(out).toHaveLength(3);
    expect(out[0]).toContain("execution e1 InProgress");
    expect(out[1]).toBe("\u001b[4F\u001b[J");
    expect(out[2]).toContain("execution e1 Failed");
  });

  it("prints a new block per change elsewhere, and ends at once without --watch", async () => {
    const piped = scripted(["InProgress", "Succeeded"], false);
    expect(await statusCommand(piped.ctx, { pipeline: "app", watch: true, intervalMs: 10 })).toBe(0);
    expect(piped.out.join("")).not.toContain("\u001b[");
    expect(piped.out.filter((t) => t.startsWith("Pipeline app"))).toHaveLength(2);
    const once = scripted(["InProgress"], true);
    expect(await statusCommand(once.ctx, { pipeline: "app", watch: false, intervalMs: 10 })).toBe(0);
    expect(once.sleeps()).toBe(0);
  });
});

import { describe, expect, it } from "vitest";
import { decideApprovalJob, decideJobResult, decideReoffer, type JobView } from "./job-decisions.js";
import type { ActionOutcome } from "./outcome.js";

const job = (extra: Partial<JobView> = {}): JobView => ({
  jobId: "j1",
  status: "InProgress",
  attempt: 1,
  approval: false,
  awaitingCallback: false,
  ...extra,
});
const succeeded: ActionOutcome = { kind: "succeeded" };
const failed: ActionOutcome = { kind: "failed", failure: { type: "JobFailed", message: "no" } };
const parked: ActionOutcome = { kind: "awaitingCallback" };
const running: ActionOutcome = { kind: "inProgress", continuationToken: "c" };

describe("decideJobResult", () => {
  const cases: Array<[string, JobView, ActionOutcome, "api" | "worker", string]> = [
    ["a worker's success", job(), succeeded, "api", "Succeeded"],
    ["a worker's failure", job(), failed, "api", "Failed"],
    ["a continuation ends this job", job(), running, "api", "Succeeded"],
    ["the in-process worker parks a job", job(), parked, "worker", "InProgress+parked"],
    [
      "an approval's job is parked by the worker",
      job({ approval: true }),
      parked,
      "worker",
      "InProgress+parked",
    ],
    ["a parked job takes its result", job({ awaitingCallback: true }), succeeded, "worker", "Succeeded"],
    ["the API never answers an approval", job({ approval: true }), succeeded, "api", "refused"],
    ["the worker does not finish an approval", job({ approval: true }), succeeded, "worker", "refused"],
    [
      "a dispatched job must be acknowledged first",
      job({ status: "Dispatched" }),
      succeeded,
      "api",
      "refused",
    ],
    ["a finished job takes no second result", job({ status: "Succeeded" }), succeeded, "api", "refused"],
    ["a timed-out job takes no late result", job({ status: "TimedOut" }), failed, "api", "refused"],
  ];
  for (const [name, view, outcome, by, expected] of cases) {
    it(name, () => {
      const decided = decideJobResult(view, outcome, by);
      const got = decided.ok
        ? `${decided.change.to}${decided.change.awaitingCallback ? "+parked" : ""}`
        : "refused";
      expect(got).toBe(expected);
      if (decided.ok) expect(decided.change.from).toEqual(["InProgress"]);
      else expect(decided.failure.type).toBe("InvalidJobStateException");
    });
  }

  it("says why a job refuses, in words a worker can act on", () => {
    const refusal = (v: JobView) => {
      const d = decideJobResult(v, succeeded, "api");
      return d.ok ? "" : d.failure.message;
    };
    expect(refusal(job({ status: "Dispatched" }))).toBe(
      "Job j1 is Dispatched: it has not been acknowledged; call AcknowledgeJob with its nonce first",
    );
    expect(refusal(job({ approval: true }))).toBe(
      "Job j1 is InProgress: it is a manual approval, which PutApprovalResult answers",
    );
    expect(refusal(job({ status: "Failed" }))).toBe("Job j1 is Failed: it already ended Failed");
  });
});

describe("decideApprovalJob", () => {
  it("ends the approval's job with the answer from any open status", () => {
    expect(decideApprovalJob("j", "Approved")).toEqual({
      jobId: "j",
      from: ["Queued", "Dispatched", "InProgress"],
      to: "Succeeded",
    });
    expect(decideApprovalJob("j", "Rejected").to).toBe("Failed");
  });
});

describe("decideReoffer", () => {
  const run = { status: "InProgress", jobStep: 0 };
  it("offers a lost step again, counting the offer after a lapsed lease but not after a restart", () => {
    expect(decideReoffer(job({ attempt: 1 }), run, 0, "lease", 3)).toMatchObject({
      kind: "reoffered",
      attempt: 2,
    });
    expect(decideReoffer(job({ attempt: 3 }), run, 0, "restart", 3)).toMatchObject({
      kind: "reoffered",
      attempt: 3,
    });
  });

  it("fails the action once the offers are used up", () => {
    const decided = decideReoffer(job({ attempt: 3 }), run, 0, "lease", 3);
    expect(decided.kind).toBe("failed");
    expect(decided.kind === "failed" && decided.failure.message).toMatch(/offered 3 time\(s\)/u);
    expect(decided.change).toEqual({ jobId: "j1", from: ["Dispatched", "InProgress"], to: "TimedOut" });
  });

  it("just ends a lost job whose action moved on", () => {
    expect(decideReoffer(job(), { status: "Succeeded", jobStep: 0 }, 0, "lease", 3).kind).toBe("dropped");
    expect(decideReoffer(job(), { status: "InProgress", jobStep: 1 }, 0, "lease", 3).kind).toBe("dropped");
    expect(decideReoffer(job(), undefined, 0, "restart", 3).kind).toBe("dropped");
  });
});

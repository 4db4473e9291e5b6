import { describe, expect, it } from "vitest";
import { awsTargetGroupDefaults, type TargetGroupSettings } from "./settings.js";
import {
  deregisterTarget,
  drainFinished,
  type HealthCheckResult,
  pickTarget,
  planSwitch,
  recordHealthCheck,
  registerTarget,
  type TargetRecord,
  unusedTarget,
} from "./target-health.js";

const settings: TargetGroupSettings = {
  ...awsTargetGroupDefaults,
  healthyThresholdCount: 3,
  unhealthyThresholdCount: 2,
};
const pass: HealthCheckResult = { kind: "response", status: 200, matched: true };
const fail500: HealthCheckResult = { kind: "response", status: 500, matched: false };
const timeout: HealthCheckResult = { kind: "timeout" };
const refused: HealthCheckResult = { kind: "error", message: "ECONNREFUSED" };

function run(
  results: HealthCheckResult[],
  start: TargetRecord = registerTarget({ id: "t", host: "h", port: 1 }, 0),
) {
  return results.reduce((t, r, i) => recordHealthCheck(t, r, settings, i), start);
}

describe("the target state machine", () => {
  it("starts initial with Elb.RegistrationInProgress", () => {
    const t = registerTarget({ id: "t", host: "h", port: 1 }, 5);
    expect(t).toMatchObject({
      state: "initial",
      reason: "Elb.RegistrationInProgress",
      registeredAt: 5,
      nextCheckAt: 5,
    });
  });

  it("becomes healthy after one passing check when newly registered", () => {
    expect(run([pass]).state).toBe("healthy");
    expect(run([pass]).reason).toBeUndefined();
  });

  it("stays initial (Elb.InitialHealthChecking) while failures are under the threshold", () => {
    expect(run([fail500])).toMatchObject({ state: "initial", reason: "Elb.InitialHealthChecking" });
  });

  it.each([
    [fail500, "Target.ResponseCodeMismatch", "Health checks failed with these codes: [500]"],
    [timeout, "Target.Timeout", "Request timed out"],
    [refused, "Target.FailedHealthChecks", "Health checks failed (ECONNREFUSED)"],
  ] as const)(
    "turns unhealthy after unhealthyThresholdCount failures: %o -> %s",
    (result, reason, description) => {
      expect(run([result, result])).toMatchObject({ state: "unhealthy", reason, description });
    },
  );

  it("a healthy target survives one failure and turns unhealthy on the second in a row", () => {
    expect(run([pass, fail500]).state).toBe("healthy");
    expect(run([pass, fail500, pass, fail500]).state).toBe("healthy");
    expect(run([pass, fail500, fail500]).state).toBe("unhealthy");
  });

  it("an unhealthy target needs healthyThresholdCount passes in a row to recover", () => {
    const unhealthy = run([fail500, fail500]);
    expect(run([pass, pass], unhealthy).state).toBe("unhealthy");
    expect(run([pass, pass, fail500, pass, pass], unhealthy).state).toBe("unhealthy");
    expect(run([pass, pass, pass], unhealthy).state).toBe("healthy");
  });

  it("the latest failure reason is reported while unhealthy", () => {
    expect(run([fail500, fail500, timeout]).reason).toBe("Target.Timeout");
  });

  it("deregistering drains with Target.DeregistrationInProgress and the delay as deadline", () => {
    const d = deregisterTarget(run([pass]), settings, 1000);
    expect(d).toMatchObject({
      state: "draining",
      reason: "Target.DeregistrationInProgress",
      drainDeadline: 301_000,
    });
    expect(recordHealthCheck(d, fail500, settings, 2000)).toBe(d);
    expect(deregisterTarget(d, settings, 5000)).toBe(d);
  });

  it("a drain ends when nothing is in flight or when the delay is over", () => {
    const d = deregisterTarget(run([pass]), settings, 0);
    expect(drainFinished(d, 0, 1)).toBe(true);
    expect(drainFinished(d, 2, 299_999)).toBe(false);
    expect(drainFinished(d, 2, 300_000)).toBe(true);
    expect(drainFinished(run([pass]), 0, 0)).toBe(false);
    expect(unusedTarget(d)).toMatchObject({ state: "unused", reason: "Target.NotRegistered" });
  });
});

describe("round robin", () => {
  const t = (id: string, healthy: boolean): TargetRecord => {
    const r = registerTarget({ id, host: "h", port: 1 }, 0);
    return healthy ? recordHealthCheck(r, pass, settings, 0) : r;
  };
  const targets = [t("a", true), t("b", false), t("c", true), t("d", true)];

  it("cycles over healthy targets only", () => {
    expect([0, 1, 2, 3, 4, 5].map((i) => pickTarget(targets, i)?.id)).toEqual(["a", "c", "d", "a", "c", "d"]);
  });

  it("skips excluded targets and gives up when none is left", () => {
    expect(pickTarget(targets, 0, new Set(["a"]))?.id).toBe("c");
    expect(pickTarget(targets, 0, new Set(["a", "c", "d"]))).toBeUndefined();
    expect(pickTarget([t("x", false)], 0)).toBeUndefined();
  });
});

describe("the blue/green switch", () => {
  const healthy = (id: string, standby = false) =>
    recordHealthCheck(registerTarget({ id, host: "h", port: 1 }, 0, standby), pass, settings, 0);

  it("standby targets are checked but not routed", () => {
    const green = healthy("g", true);
    expect(green.state).toBe("healthy");
    expect(pickTarget([green], 0)).toBeUndefined();
    expect(pickTarget([healthy("b"), green], 1)?.id).toBe("b");
  });

  it("promotes the named standby targets and deregisters every other live one", () => {
    const draining = deregisterTarget(healthy("old"), settings, 0);
    expect(planSwitch([healthy("b1"), healthy("b2"), healthy("g1", true), draining], ["g1"])).toEqual({
      ok: true,
      promote: ["g1"],
      deregister: ["b1", "b2"],
    });
  });

  it("refuses to switch to targets that are not healthy, naming them", () => {
    const initial = registerTarget({ id: "g2", host: "h", port: 1 }, 0, true);
    expect(planSwitch([healthy("b1"), healthy("g1", true), initial], ["g1", "g2", "g3"])).toEqual({
      ok: false,
      message: "cannot switch: g2 (initial), g3 (not registered) are not healthy",
    });
    expect(planSwitch([healthy("b1")], [])).toMatchObject({ ok: false });
  });
});

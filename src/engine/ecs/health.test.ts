import { describe, expect, it } from "vitest";
import { afterCheck, checkDue, EARLY_PROBE_MS, initialHealth, taskHealth, timingOf } from "./health.js";

const timing = timingOf({ command: ["CMD", "true"], interval: 5, retries: 2, startPeriod: 10 });

describe("container health checks", () => {
  it("uses AWS's defaults: interval 30 s, timeout 5 s, retries 3, no start period", () => {
    expect(timingOf({ command: ["CMD", "true"] })).toEqual({
      intervalMs: 30_000,
      timeoutMs: 5_000,
      retries: 3,
      startPeriodMs: 0,
    });
  });

  it("runs the first check at once, then one per interval once HEALTHY", () => {
    expect(checkDue(initialHealth, timing, 0, 0)).toBe(true);
    const after = afterCheck(initialHealth, 0, timing, 0, 1_000);
    expect(checkDue(after, timing, 5_999, 0)).toBe(false);
    expect(checkDue(after, timing, 6_000, 0)).toBe(true);
  });

  it("probes every EARLY_PROBE_MS until Docker's first check (one interval after start), counting only successes", () => {
    const strict = timingOf({ command: ["CMD", "true"], interval: 5, retries: 1 });
    // A server that is not listening yet fails the probes at 0 and 250 ms: nothing counts.
    let s = afterCheck(initialHealth, 1, strict, 0, 0);
    expect(s).toEqual({ status: "UNKNOWN", consecutiveFailures: 0, lastCheckAt: 0 });
    expect(checkDue(s, strict, EARLY_PROBE_MS - 1, 0)).toBe(false);
    expect(checkDue(s, strict, EARLY_PROBE_MS, 0)).toBe(true);
    s = afterCheck(s, 1, strict, 0, 4_900);
    expect(s).toMatchObject({ status: "UNKNOWN", consecutiveFailures: 0 });
    // Docker's first check is due at 5 s whatever the last probe was; from then on failures count.
    expect(checkDue(s, strict, 5_000, 0)).toBe(true);
    const failed = afterCheck(s, 1, strict, 0, 5_000);
    expect(failed).toMatchObject({ status: "UNHEALTHY", consecutiveFailures: 1 });
    expect(checkDue(failed, strict, 5_000 + EARLY_PROBE_MS, 0)).toBe(false);
    // A probe that passes early makes it HEALTHY at once; then checks run every interval.
    const healthy = afterCheck(afterCheck(initialHealth, 1, strict, 0, 0), 0, strict, 0, 300);
    expect(healthy).toEqual({ status: "HEALTHY", consecutiveFailures: 0, lastCheckAt: 300 });
    expect(checkDue(healthy, strict, 5_299, 0)).toBe(false);
    expect(checkDue(healthy, strict, 5_300, 0)).toBe(true);
  });

  it("turns HEALTHY on a success and UNHEALTHY after `retries` failures in a row", () => {
    let s = afterCheck(initialHealth, 0, timing, 0, 11_000);
    expect(s.status).toBe("HEALTHY");
    s = afterCheck(s, 1, timing, 0, 16_000);
    expect(s).toMatchObject({ status: "HEALTHY", consecutiveFailures: 1 });
    s = afterCheck(s, -1, timing, 0, 21_000);
    expect(s).toMatchObject({ status: "UNHEALTHY", consecutiveFailures: 2 });
    expect(afterCheck(s, 0, timing, 0, 26_000)).toMatchObject({ status: "HEALTHY", consecutiveFailures: 0 });
  });

  it("does not count failures inside the start period", () => {
    let s = afterCheck(initialHealth, 1, timing, 0, 1_000);
    s = afterCheck(s, 1, timing, 0, 6_000);
    expect(s).toMatchObject({ status: "UNKNOWN", consecutiveFailures: 0 });
  });

  it("derives a task's health from its essential, checked containers only", () => {
    const c = (essential: boolean, healthStatus: "HEALTHY" | "UNHEALTHY" | "UNKNOWN", checked = true) => ({
      essential,
      healthStatus,
      checked,
    });
    expect(taskHealth([c(true, "HEALTHY"), c(false, "UNHEALTHY")])).toBe("HEALTHY");
    expect(taskHealth([c(true, "HEALTHY"), c(true, "UNHEALTHY")])).toBe("UNHEALTHY");
    expect(taskHealth([c(true, "HEALTHY"), c(true, "UNKNOWN")])).toBe("UNKNOWN");
    expect(taskHealth([c(true, "UNKNOWN", false)])).toBe("UNKNOWN");
  });
});

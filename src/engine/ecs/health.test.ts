import { describe, expect, it } from "vitest";
import { afterCheck, checkDue, initialHealth, taskHealth, timingOf } from "./health.js";

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

  it("runs the first check at once, then one per interval", () => {
    expect(checkDue(initialHealth, timing, 0)).toBe(true);
    const after = afterCheck(initialHealth, 0, timing, 0, 1_000);
    expect(checkDue(after, timing, 5_999)).toBe(false);
    expect(checkDue(after, timing, 6_000)).toBe(true);
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

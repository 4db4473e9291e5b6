import { describe, expect, it } from "vitest";
import { awsTargetGroupDefaults, parseMatcher, resolveTargetGroupSettings } from "./settings.js";

describe("Matcher.HttpCode", () => {
  it.each([
    ["200", 200, true],
    ["200", 201, false],
    ["200,202", 202, true],
    ["200,202", 201, false],
    ["200-299", 250, true],
    ["200-299", 300, false],
    ["200-299,404", 404, true],
  ])("%s matches %i: %s", (code, status, expected) => {
    const m = parseMatcher(code);
    if (!m.ok) throw new Error(m.error);
    expect(m.value(status)).toBe(expected);
  });

  it.each(["", "abc", "20", "100", "200-600", "299-200", "200;202"])(
    "rejects %j with a message saying how",
    (code) => {
      const m = parseMatcher(code);
      expect(m.ok).toBe(false);
      if (!m.ok) expect(m.error).toMatch(/Matcher.HttpCode .* is not valid/);
    },
  );
});

describe("target group settings", () => {
  it("keeps AWS's defaults as given", () => {
    expect(resolveTargetGroupSettings({}, awsTargetGroupDefaults)).toEqual({
      ok: true,
      value: awsTargetGroupDefaults,
    });
  });

  it.each([
    [{ healthCheckPath: "health" }, /healthCheckPath 'health' must start with '\/'/],
    [{ healthCheckIntervalSeconds: 0 }, /healthCheckIntervalSeconds must be a positive/],
    [
      { healthCheckTimeoutSeconds: 5, healthCheckIntervalSeconds: 2 },
      /must not exceed healthCheckIntervalSeconds/,
    ],
    [{ healthyThresholdCount: 11 }, /healthyThresholdCount must be an integer from 1 to 10/],
    [{ unhealthyThresholdCount: 0 }, /unhealthyThresholdCount must be an integer/],
    [{ deregistrationDelaySeconds: 3601 }, /deregistrationDelaySeconds must be from 0 to 3600/],
    [{ matcher: "ok" }, /Matcher.HttpCode 'ok'/],
  ])("names the field that is wrong: %o", (given, message) => {
    const r = resolveTargetGroupSettings(given);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });
});

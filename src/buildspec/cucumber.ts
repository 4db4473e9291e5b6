import { err, ok, type Result } from "../lib/index.js";
import { MAX_TEST_CASE_MESSAGE, MAX_TEST_CASE_NAME } from "./junit.js";
import type { TestCase, TestCaseStatus } from "./report-types.js";

/**
 * The test cases of a Cucumber JSON report (`file-format: CUCUMBERJSON`, cucumber-jvm and
 * cucumber-js `--format json`): one case per scenario (backgrounds' steps count towards the
 * scenario after them), prefixed by the feature's name, in a suite named after the feature.
 * A scenario is FAILED when a step failed, SKIPPED when no step passed and none failed (all
 * skipped, pending or undefined), else SUCCEEDED. Durations are the steps' (nanoseconds, as
 * both implementations write them); the message is the first failing step's error_message.
 */
export function parseCucumberJson(json: string, rawDataPath: string): Result<TestCase[], string> {
  let features: unknown;
  try {
    features = JSON.parse(json);
  } catch (cause) {
    return err(`malformed JSON: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  if (!Array.isArray(features))
    return err("not a Cucumber JSON report: the top level is not an array of features");
  const cases: TestCase[] = [];
  for (const feature of features) {
    if (!isObject(feature)) return err("not a Cucumber JSON report: a feature is not an object");
    const featureName = stringOf(feature.name);
    let background: unknown[] = [];
    for (const element of arrayOf(feature.elements)) {
      if (!isObject(element)) continue;
      if (element.type === "background") {
        background = arrayOf(element.steps);
        continue;
      }
      const steps = [
        ...background,
        ...arrayOf(element.before),
        ...arrayOf(element.steps),
        ...arrayOf(element.after),
      ];
      background = [];
      cases.push(toTestCase(featureName, stringOf(element.name), steps, rawDataPath));
    }
  }
  return ok(cases);
}

function toTestCase(feature: string, name: string, steps: unknown[], rawDataPath: string): TestCase {
  let duration = 0;
  let failure: string | undefined;
  let failed = false;
  let passed = false;
  for (const step of steps) {
    const result = isObject(step) && isObject(step.result) ? step.result : undefined;
    if (result === undefined) continue;
    if (typeof result.duration === "number" && result.duration > 0) duration += result.duration;
    if (result.status === "failed") {
      failed = true;
      failure ??= stringOf(result.error_message);
    } else if (result.status === "passed") passed = true;
  }
  const status: TestCaseStatus = failed ? "FAILED" : passed ? "SUCCEEDED" : "SKIPPED";
  return {
    testRawDataPath: rawDataPath,
    prefix: feature,
    name: name.slice(0, MAX_TEST_CASE_NAME),
    status,
    durationInNanoSeconds: Math.round(duration),
    ...(failure ? { message: failure.slice(0, MAX_TEST_CASE_MESSAGE) } : {}),
    ...(feature === "" ? {} : { testSuiteName: feature }),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function stringOf(value: unknown): string {
  return typeof value === "string" ? value : "";
}

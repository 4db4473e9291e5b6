import { err, ok, type Result } from "../lib/index.js";
import { MAX_TEST_CASE_MESSAGE, MAX_TEST_CASE_NAME } from "./junit.js";
import { splitQualified } from "./nunit.js";
import type { TestCase, TestCaseStatus } from "./report-types.js";
import { attribute, children, cut, parseXml, text, type XmlElement } from "./xml-report.js";

/**
 * The test cases of a Visual Studio TRX report (`file-format: VISUALSTUDIOTRX`, as `dotnet test
 * --logger trx` writes it; root `<TestRun>`): every `<UnitTestResult>` under `<Results>`, or its
 * `<InnerResults>` instead when it has some (data-driven tests). The prefix is the class of its
 * `<UnitTest>` definition (`TestMethod className` up to the first comma), else the `testName`
 * before its last dot outside parentheses; the name is `testName` without that prefix.
 * `outcome` Passed, PassedButRunAborted and Warning -> SUCCEEDED; Failed -> FAILED; Error,
 * Timeout and Aborted -> ERROR; NotExecuted, Inconclusive, NotRunnable, Disconnected, Pending and
 * InProgress -> SKIPPED; else UNKNOWN. `duration` is `hh:mm:ss.fffffff` (missing or unreadable:
 * 0). The message is the `<ErrorInfo>` message and stack trace (`<StdOut>` is left out).
 * testSuiteName is the `<TestRun name>` (none when the run has no name).
 */
export function parseTrx(xml: string, rawDataPath: string): Result<TestCase[], string> {
  const document = parseXml(xml);
  if (!document.ok) return document;
  const runs = children(document.value, "TestRun");
  if (runs.length === 0) {
    const found = Object.keys(document.value)[0];
    return err(
      found === undefined
        ? "not a Visual Studio TRX report: the document is empty"
        : `not a Visual Studio TRX report: the root element is <${found}>, not <TestRun>`,
    );
  }
  const cases: TestCase[] = [];
  for (const run of runs) {
    const classes = classesById(run);
    const suite = attribute(run, "name");
    const visit = (result: XmlElement): void => {
      const inner = children(result, "InnerResults").flatMap((r) => children(r, "UnitTestResult"));
      if (inner.length > 0) {
        for (const r of inner) visit(r);
        return;
      }
      cases.push(toTestCase(result, classes.get(attribute(result, "testId") ?? ""), suite, rawDataPath));
    };
    for (const results of children(run, "Results")) children(results, "UnitTestResult").forEach(visit);
  }
  return ok(cases);
}

const statuses: Readonly<Record<string, TestCaseStatus>> = {
  Passed: "SUCCEEDED",
  PassedButRunAborted: "SUCCEEDED",
  Warning: "SUCCEEDED",
  Failed: "FAILED",
  Error: "ERROR",
  Timeout: "ERROR",
  Aborted: "ERROR",
  NotExecuted: "SKIPPED",
  Inconclusive: "SKIPPED",
  NotRunnable: "SKIPPED",
  Disconnected: "SKIPPED",
  Pending: "SKIPPED",
  InProgress: "SKIPPED",
};

/** UnitTest id -> its class name (without the assembly part). */
function classesById(run: XmlElement): Map<string, string> {
  const classes = new Map<string, string>();
  for (const definitions of children(run, "TestDefinitions")) {
    for (const test of children(definitions, "UnitTest")) {
      const className = children(test, "TestMethod")
        .map((m) => attribute(m, "className"))
        .find((c) => c !== undefined);
      const id = attribute(test, "id");
      if (id !== undefined && className !== undefined) classes.set(id, className.split(",")[0]!.trim());
    }
  }
  return classes;
}

function toTestCase(
  result: XmlElement,
  className: string | undefined,
  suite: string | undefined,
  rawDataPath: string,
): TestCase {
  const testName = attribute(result, "testName") ?? "";
  const prefix = className ?? splitQualified(testName)[0];
  const name =
    prefix !== "" && testName.startsWith(`${prefix}.`) ? testName.slice(prefix.length + 1) : testName;
  const message = errorInfo(result);
  return {
    testRawDataPath: rawDataPath,
    prefix,
    name: cut(name, MAX_TEST_CASE_NAME),
    status: statuses[attribute(result, "outcome") ?? ""] ?? "UNKNOWN",
    durationInNanoSeconds: timeSpanToNanos(attribute(result, "duration")),
    ...(message === "" ? {} : { message: cut(message, MAX_TEST_CASE_MESSAGE) }),
    ...(suite === undefined ? {} : { testSuiteName: suite }),
  };
}

function errorInfo(result: XmlElement): string {
  const info = children(result, "Output").flatMap((o) => children(o, "ErrorInfo"));
  return info
    .flatMap((i) => [...children(i, "Message"), ...children(i, "StackTrace")])
    .map(text)
    .filter((t) => t !== "")
    .join("\n");
}

/** `hh:mm:ss.fffffff` (optionally `d.hh:mm:ss`) to whole nanoseconds; 0 when unreadable. */
export function timeSpanToNanos(value: string | undefined): number {
  const match = /^(?:(\d+)\.)?(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(value?.trim() ?? "");
  if (!match) return 0;
  const [, days, hours, minutes, seconds] = match;
  const total = Number(days ?? 0) * 86_400 + Number(hours) * 3_600 + Number(minutes) * 60 + Number(seconds);
  return Number.isFinite(total) ? Math.round(total * 1e9) : 0;
}

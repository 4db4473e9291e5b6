import { err, ok, type Result } from "../lib/index.js";
import { MAX_TEST_CASE_MESSAGE, MAX_TEST_CASE_NAME } from "./junit.js";
import type { TestCase, TestCaseStatus } from "./report-types.js";
import { attribute, children, cut, parseXml, secondsToNanos, text, type XmlElement } from "./xml-report.js";

/**
 * The test cases of an NUnit 2 report (`file-format: NUNITXML`, root `<test-results>`): every
 * `<test-case>` under nested `<test-suite><results>`. Its `name` is `Namespace.Class.Method`
 * (parameterised: `Method(1,"a.b")`): the prefix is the part before the last dot outside
 * parentheses, the name the rest. `result` Success -> SUCCEEDED; Failure -> FAILED; Error and
 * NotRunnable -> ERROR; Ignored, Skipped and Inconclusive -> SKIPPED; any other result (such as
 * Cancelled, or none) -> SKIPPED when `executed="False"`, else UNKNOWN. `time` is seconds. The
 * message is the `<failure>` message and stack trace, else the `<reason>` message. testSuiteName
 * is the innermost TestFixture suite's name (else the innermost suite's).
 */
export function parseNUnitXml(xml: string, rawDataPath: string): Result<TestCase[], string> {
  const document = parseXml(xml);
  if (!document.ok) return document;
  const roots = children(document.value, "test-results");
  if (roots.length === 0) return err(wrongRoot(document.value, "NUnit 2", "test-results"));
  const cases: TestCase[] = [];
  for (const root of roots)
    walk(root, undefined, undefined, (testCase, suite) => {
      const full = attribute(testCase, "name") ?? "";
      const [prefix, name] = splitQualified(full);
      const result = attribute(testCase, "result") ?? "";
      // NUnit 2.5+ writes not-run cases as executed="False" with a result (NotRunnable: ERROR);
      // older versions write executed="False" alone.
      const status: TestCaseStatus =
        nunit2Statuses[result] ?? (attribute(testCase, "executed") === "False" ? "SKIPPED" : "UNKNOWN");
      cases.push(toTestCase(testCase, prefix, name, status, attribute(testCase, "time"), suite, rawDataPath));
    });
  return ok(cases);
}

const nunit2Statuses: Readonly<Record<string, TestCaseStatus>> = {
  Success: "SUCCEEDED",
  Failure: "FAILED",
  Error: "ERROR",
  NotRunnable: "ERROR",
  Ignored: "SKIPPED",
  Skipped: "SKIPPED",
  Inconclusive: "SKIPPED",
};

/**
 * The test cases of an NUnit 3 report (`file-format: NUNIT3XML`, root `<test-run>`): every
 * `<test-case>` at any depth of `<test-suite>`s. The prefix is its `classname` (else its
 * `fullname` before the last dot outside parentheses), the name its `name`. `result` Passed and
 * Warning -> SUCCEEDED; Failed -> FAILED, or ERROR when `label` is Error, Invalid or Cancelled;
 * Skipped and Inconclusive -> SKIPPED; else UNKNOWN. `duration` is seconds. The message is the
 * `<failure>` message and stack trace, else the `<reason>` message (`<assertions>` and `<output>`
 * are left out). testSuiteName is the innermost TestFixture suite's name (else the innermost
 * suite's).
 */
export function parseNUnit3Xml(xml: string, rawDataPath: string): Result<TestCase[], string> {
  const document = parseXml(xml);
  if (!document.ok) return document;
  const roots = children(document.value, "test-run");
  if (roots.length === 0) return err(wrongRoot(document.value, "NUnit 3", "test-run"));
  const cases: TestCase[] = [];
  for (const root of roots)
    walk(root, undefined, undefined, (testCase, suite) => {
      const prefix =
        attribute(testCase, "classname") ?? splitQualified(attribute(testCase, "fullname") ?? "")[0];
      const result = attribute(testCase, "result") ?? "";
      const label = attribute(testCase, "label") ?? "";
      const status: TestCaseStatus =
        result === "Failed" && ["Error", "Invalid", "Cancelled"].includes(label)
          ? "ERROR"
          : (nunit3Statuses[result] ?? "UNKNOWN");
      const name = attribute(testCase, "name") ?? "";
      cases.push(
        toTestCase(testCase, prefix, name, status, attribute(testCase, "duration"), suite, rawDataPath),
      );
    });
  return ok(cases);
}

const nunit3Statuses: Readonly<Record<string, TestCaseStatus>> = {
  Passed: "SUCCEEDED",
  Warning: "SUCCEEDED",
  Failed: "FAILED",
  Skipped: "SKIPPED",
  Inconclusive: "SKIPPED",
};

/** Visits every `<test-case>` below `element` with the suite name it belongs to. */
function walk(
  element: XmlElement,
  fixture: string | undefined,
  innermost: string | undefined,
  visit: (testCase: XmlElement, suite: string | undefined) => void,
): void {
  for (const testCase of children(element, "test-case")) visit(testCase, fixture ?? innermost);
  // NUnit 2 keeps a suite's children in <results>; NUnit 3 directly under the suite.
  for (const results of children(element, "results")) walk(results, fixture, innermost, visit);
  for (const suite of children(element, "test-suite")) {
    const name = attribute(suite, "name");
    const isFixture = attribute(suite, "type") === "TestFixture";
    walk(suite, isFixture ? (name ?? fixture) : fixture, name ?? innermost, visit);
  }
}

function toTestCase(
  testCase: XmlElement,
  prefix: string,
  name: string,
  status: TestCaseStatus,
  seconds: string | undefined,
  suite: string | undefined,
  rawDataPath: string,
): TestCase {
  const message = failureMessage(testCase);
  return {
    testRawDataPath: rawDataPath,
    prefix,
    name: cut(name, MAX_TEST_CASE_NAME),
    status,
    durationInNanoSeconds: secondsToNanos(seconds),
    ...(message === "" ? {} : { message: cut(message, MAX_TEST_CASE_MESSAGE) }),
    ...(suite === undefined ? {} : { testSuiteName: suite }),
  };
}

/** The failure's message and stack trace, or the reason a case was skipped. */
function failureMessage(testCase: XmlElement): string {
  for (const failure of children(testCase, "failure")) {
    const parts = [...children(failure, "message"), ...children(failure, "stack-trace")].map(text);
    const joined = parts.filter((p) => p !== "").join("\n");
    if (joined !== "") return joined;
  }
  for (const reason of children(testCase, "reason")) {
    const message = children(reason, "message").map(text).join("\n");
    if (message !== "") return message;
  }
  return "";
}

/**
 * `Ns.Class.Method(1,"a.b")` -> [`Ns.Class`, `Method(1,"a.b")`]: split at the last dot outside
 * parentheses and outside string (`"a\")"`) and char (`')'`) literals as NUnit writes arguments;
 * no such dot -> ["", the whole name].
 */
export function splitQualified(full: string): [string, string] {
  let depth = 0;
  let quote: string | undefined;
  let split = -1;
  for (let i = 0; i < full.length; i++) {
    const c = full[i];
    if (quote !== undefined) {
      if (c === "\\") i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "(") depth++;
    else if (c === ")") depth = Math.max(0, depth - 1);
    else if (c === "." && depth === 0) split = i;
  }
  return split < 0 ? ["", full] : [full.slice(0, split), full.slice(split + 1)];
}

function wrongRoot(document: XmlElement, format: "NUnit 2" | "NUnit 3", expected: string): string {
  const found = Object.keys(document)[0];
  const hint =
    format === "NUnit 2" && found === "test-run"
      ? " (this is an NUnit 3 report: use file-format NUNIT3XML)"
      : format === "NUnit 3" && found === "test-results"
        ? " (this is an NUnit 2 report: use file-format NUNITXML)"
        : "";
  return found === undefined
    ? `not an ${format} report: the document is empty`
    : `not an ${format} report: the root element is <${found}>, not <${expected}>${hint}`;
}

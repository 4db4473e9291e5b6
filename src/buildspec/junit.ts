import { err, ok, type Result } from "../lib/index.js";
import type { TestCase, TestCaseStatus } from "./report-types.js";
import { attribute, children, cut, parseXml, secondsToNanos, text, type XmlElement } from "./xml-report.js";

export { summarizeTestCases, truncateTestCases } from "./test-case-summary.js";

/** CodeBuild's limits on a test case (spec/buildspec.md §3.5). */
export const MAX_TEST_CASE_NAME = 1000;
export const MAX_TEST_CASE_MESSAGE = 5000;

/**
 * The test cases of a JUnit XML report (`file-format: JUNITXML`), as written by pytest, Jest
 * (jest-junit), Maven Surefire, Gradle, go-junit-report and most other tools. The root is
 * `<testsuites>` or a lone `<testsuite>`; suites may nest, and each case's testSuiteName is
 * its innermost suite's name. A `<testcase>` is FAILED with a `<failure>`, ERROR with an
 * `<error>`, SKIPPED with a `<skipped>`, else SUCCEEDED. Its message is the element's
 * `message` attribute and text (joined by a newline when both are present and the text does
 * not already contain the message), cut to 5,000 characters; the name is cut to 1,000;
 * `time` is seconds (missing or unparsable: 0; thousands separators ignored). `rawDataPath`
 * becomes each case's testRawDataPath.
 *
 * Fails with a message saying what is wrong for malformed XML and for a root element that is
 * not a JUnit one.
 */
export function parseJUnitXml(xml: string, rawDataPath: string): Result<TestCase[], string> {
  const document = parseXml(xml);
  if (!document.ok) return document;
  const root = document.value;
  const suites = children(root, "testsuites");
  const lone = children(root, "testsuite");
  if (suites.length === 0 && lone.length === 0) {
    const found = Object.keys(root)[0];
    return err(
      found === undefined
        ? "not a JUnit XML report: the document is empty"
        : `not a JUnit XML report: the root element is <${found}>, not <testsuites> or <testsuite>`,
    );
  }
  const cases: TestCase[] = [];
  for (const element of suites) collect(element, attribute(element, "name"), rawDataPath, cases);
  for (const element of lone) collect(element, attribute(element, "name"), rawDataPath, cases);
  return ok(cases);
}

function collect(
  element: XmlElement,
  suiteName: string | undefined,
  rawDataPath: string,
  out: TestCase[],
): void {
  for (const testCase of children(element, "testcase"))
    out.push(toTestCase(testCase, suiteName, rawDataPath));
  for (const suite of children(element, "testsuite")) {
    collect(suite, attribute(suite, "name") ?? suiteName, rawDataPath, out);
  }
}

const outcomes: readonly (readonly [string, TestCaseStatus])[] = [
  ["failure", "FAILED"],
  ["error", "ERROR"],
  ["skipped", "SKIPPED"],
];

function toTestCase(element: XmlElement, suiteName: string | undefined, rawDataPath: string): TestCase {
  const outcome = outcomes.find(([tag]) => children(element, tag).length > 0);
  const detail = outcome === undefined ? undefined : children(element, outcome[0])[0];
  const message = detail === undefined ? undefined : messageOf(detail);
  return {
    testRawDataPath: rawDataPath,
    prefix: attribute(element, "classname") ?? "",
    name: cut(attribute(element, "name") ?? "", MAX_TEST_CASE_NAME),
    status: outcome?.[1] ?? "SUCCEEDED",
    durationInNanoSeconds: secondsToNanos(attribute(element, "time")),
    ...(message === undefined || message === "" ? {} : { message: cut(message, MAX_TEST_CASE_MESSAGE) }),
    ...(suiteName === undefined ? {} : { testSuiteName: suiteName }),
  };
}

function messageOf(detail: XmlElement): string {
  const attributeMessage = attribute(detail, "message")?.trim() ?? "";
  const body = text(detail);
  if (attributeMessage === "" || body.includes(attributeMessage)) return body || attributeMessage;
  return body === "" ? attributeMessage : `${attributeMessage}\n${body}`;
}

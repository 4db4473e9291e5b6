import { err, ok, type Result } from "../lib/index.js";
import { MAX_TEST_CASE_MESSAGE, MAX_TEST_CASE_NAME } from "./junit.js";
import type { TestCase, TestCaseStatus } from "./report-types.js";
import { attribute, children, cut, parseXml, text, type XmlElement } from "./xml-report.js";

const statuses: Readonly<Record<string, TestCaseStatus>> = {
  PASS: "SUCCEEDED",
  FAIL: "FAILED",
  SKIP: "SKIPPED",
};

/**
 * The test cases of a TestNG report (`testng-results.xml`, `file-format: TESTNGXML`): every
 * `<test-method>` that is not a configuration method (`is-config="true"`), prefixed by its
 * `<class name>`, in the suite named by `<suite name>`. Status PASS/FAIL/SKIP maps to
 * SUCCEEDED/FAILED/SKIPPED (anything else: UNKNOWN); `duration-ms` is milliseconds; the message
 * is the exception's `<full-stacktrace>`, preceded by its `<message>` (or class) unless the
 * stack already contains it, cut to 5,000.
 */
export function parseTestNgXml(xml: string, rawDataPath: string): Result<TestCase[], string> {
  const document = parseXml(xml);
  if (!document.ok) return document;
  const roots = children(document.value, "testng-results");
  if (roots.length === 0) return err("not a TestNG report: the root element is not <testng-results>");
  const cases: TestCase[] = [];
  for (const root of roots) {
    for (const suite of children(root, "suite")) {
      for (const test of children(suite, "test")) {
        for (const testClass of children(test, "class")) {
          for (const method of children(testClass, "test-method")) {
            if (attribute(method, "is-config") === "true") continue;
            cases.push(
              toTestCase(method, attribute(testClass, "name") ?? "", attribute(suite, "name"), rawDataPath),
            );
          }
        }
      }
    }
  }
  return ok(cases);
}

function toTestCase(
  method: XmlElement,
  prefix: string,
  suite: string | undefined,
  rawDataPath: string,
): TestCase {
  const millis = Number.parseFloat(attribute(method, "duration-ms") ?? "");
  const message = exceptionMessage(method);
  return {
    testRawDataPath: rawDataPath,
    prefix,
    name: cut(attribute(method, "name") ?? "", MAX_TEST_CASE_NAME),
    status: statuses[attribute(method, "status") ?? ""] ?? "UNKNOWN",
    durationInNanoSeconds: Number.isFinite(millis) && millis > 0 ? Math.round(millis * 1e6) : 0,
    ...(message === "" ? {} : { message: cut(message, MAX_TEST_CASE_MESSAGE) }),
    ...(suite === undefined ? {} : { testSuiteName: suite }),
  };
}

function exceptionMessage(method: XmlElement): string {
  const exception = children(method, "exception")[0];
  if (exception === undefined) return "";
  const message =
    children(exception, "message").map(text).join("\n") || (attribute(exception, "class") ?? "");
  const stack = children(exception, "full-stacktrace").map(text).join("\n");
  if (stack === "" || stack.includes(message)) return stack || message;
  return message === "" ? stack : `${message}\n${stack}`;
}

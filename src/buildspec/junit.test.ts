import { describe, expect, it } from "vitest";
import { parseJUnitXml, summarizeTestCases, truncateTestCases } from "./junit.js";
import type { TestCase } from "./report-types.js";

function parse(xml: string, path = "reports/junit.xml"): TestCase[] {
  const result = parseJUnitXml(xml, path);
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

// pytest 8 (`pytest --junitxml=reports/junit.xml`).
const pytest = `<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" errors="1" failures="1" skipped="1" tests="4" time="0.081" timestamp="2024-05-02T10:11:12.345678+00:00" hostname="codebuild"><testcase classname="tests.test_app" name="test_adds" time="0.001" /><testcase classname="tests.test_app" name="test_divides" time="0.002"><failure message="assert 2 == 3&#10; +  where 2 = divide(4, 2)">def test_divides():
&gt;       assert divide(4, 2) == 3
E       assert 2 == 3

tests/test_app.py:9: AssertionError</failure></testcase><testcase classname="tests.test_app" name="test_skipped" time="0.000"><skipped type="pytest.skip" message="needs network">/src/tests/test_app.py:12: needs network</skipped></testcase><testcase classname="tests.test_app" name="test_fixture" time="0.003"><error message="failed on setup with &quot;RuntimeError: db down&quot;">@pytest.fixture
    def db():
&gt;       raise RuntimeError("db down")
E       RuntimeError: db down</error></testcase></testsuite></testsuites>`;

// jest-junit 16 defaults.
const jest = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="jest tests" tests="3" failures="1" errors="0" time="1.532">
  <testsuite name="Calculator" errors="0" failures="1" skipped="1" timestamp="2024-05-02T10:11:12" time="1.2" tests="3">
    <testcase classname="Calculator adds two numbers" name="Calculator adds two numbers" time="0.004">
    </testcase>
    <testcase classname="Calculator divides by zero" name="Calculator divides by zero" time="0.012">
      <failure>Error: expect(received).toThrow()

Received function did not throw
    at Object.toThrow (/codebuild/output/src1/src/calculator.test.js:14:30)</failure>
    </testcase>
    <testcase classname="Calculator rounds" name="Calculator rounds" time="0">
      <skipped/>
    </testcase>
  </testsuite>
</testsuites>`;

// Maven Surefire 3 (a lone <testsuite>, properties, system-out, a locale-formatted time).
const surefire = `<?xml version="1.0" encoding="UTF-8"?>
<testsuite xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="https://maven.apache.org/surefire/maven-surefire-plugin/xsd/surefire-test-report-3.0.xsd" version="3.0" name="com.example.OrderServiceTest" time="1,234.5" tests="3" errors="1" skipped="0" failures="1">
  <properties>
    <property name="java.version" value="17.0.9"/>
  </properties>
  <testcase name="placesOrder" classname="com.example.OrderServiceTest" time="0.051"/>
  <testcase name="rejectsEmptyCart" classname="com.example.OrderServiceTest" time="0.004">
    <failure message="expected: &lt;400&gt; but was: &lt;200&gt;" type="org.opentest4j.AssertionFailedError"><![CDATA[org.opentest4j.AssertionFailedError: expected: <400> but was: <200>
	at com.example.OrderServiceTest.rejectsEmptyCart(OrderServiceTest.java:31)
]]></failure>
    <system-out><![CDATA[log line]]></system-out>
  </testcase>
  <testcase name="chargesCard" classname="com.example.OrderServiceTest" time="1,200.25">
    <error message="Connection refused" type="java.net.ConnectException"><![CDATA[java.net.ConnectException: Connection refused]]></error>
  </testcase>
</testsuite>`;

// go-junit-report v2.
const go = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites tests="3" failures="1" skipped="1">
	<testsuite name="github.com/example/shop/cart" tests="3" failures="1" errors="0" id="0" hostname="build" skipped="1" time="0.012" timestamp="2024-05-02T10:11:12Z">
		<properties>
			<property name="go.version" value="go1.22.2 linux/amd64"></property>
		</properties>
		<testcase name="TestAdd" classname="github.com/example/shop/cart" time="0.000"></testcase>
		<testcase name="TestRemove" classname="github.com/example/shop/cart" time="0.010">
			<failure message="Failed"><![CDATA[    cart_test.go:22: want 1 item, got 2]]></failure>
		</testcase>
		<testcase name="TestCheckout" classname="github.com/example/shop/cart" time="0.000">
			<skipped message="Skipped"><![CDATA[    cart_test.go:30: flaky on CI]]></skipped>
		</testcase>
	</testsuite>
</testsuites>`;

describe("parseJUnitXml", () => {
  it("reads pytest's report: failure, skip, error, and messages joining attribute and text", () => {
    const cases = parse(pytest);
    expect(cases.map((c) => [c.prefix, c.name, c.status, c.durationInNanoSeconds])).toEqual([
      ["tests.test_app", "test_adds", "SUCCEEDED", 1_000_000],
      ["tests.test_app", "test_divides", "FAILED", 2_000_000],
      ["tests.test_app", "test_skipped", "SKIPPED", 0],
      ["tests.test_app", "test_fixture", "ERROR", 3_000_000],
    ]);
    expect(cases[1]!.message).toBe(
      "assert 2 == 3\n +  where 2 = divide(4, 2)\ndef test_divides():\n>       assert divide(4, 2) == 3\nE       assert 2 == 3\n\ntests/test_app.py:9: AssertionError",
    );
    // The text already contains the message, so it is not repeated.
    expect(cases[2]!.message).toBe("/src/tests/test_app.py:12: needs network");
    expect(cases[3]!.message).toMatch(/^failed on setup with "RuntimeError: db down"\n@pytest\.fixture/);
    expect(cases[0]).toEqual({
      testRawDataPath: "reports/junit.xml",
      prefix: "tests.test_app",
      name: "test_adds",
      status: "SUCCEEDED",
      durationInNanoSeconds: 1_000_000,
      testSuiteName: "pytest",
    });
  });

  it("reads jest-junit's report, whose failures carry only text", () => {
    const cases = parse(jest);
    expect(cases.map((c) => [c.name, c.status, c.testSuiteName])).toEqual([
      ["Calculator adds two numbers", "SUCCEEDED", "Calculator"],
      ["Calculator divides by zero", "FAILED", "Calculator"],
      ["Calculator rounds", "SKIPPED", "Calculator"],
    ]);
    expect(cases[1]!.message).toMatch(
      /^Error: expect\(received\)\.toThrow\(\)\n\nReceived function did not throw/,
    );
    expect(cases[2]!.message).toBeUndefined();
  });

  it("reads a lone Surefire <testsuite>, with CDATA and comma-grouped times", () => {
    const cases = parse(surefire);
    expect(cases.map((c) => [c.name, c.status, c.durationInNanoSeconds, c.testSuiteName])).toEqual([
      ["placesOrder", "SUCCEEDED", 51_000_000, "com.example.OrderServiceTest"],
      ["rejectsEmptyCart", "FAILED", 4_000_000, "com.example.OrderServiceTest"],
      ["chargesCard", "ERROR", 1_200_250_000_000, "com.example.OrderServiceTest"],
    ]);
    expect(cases[1]!.message).toBe(
      "org.opentest4j.AssertionFailedError: expected: <400> but was: <200>\n\tat com.example.OrderServiceTest.rejectsEmptyCart(OrderServiceTest.java:31)",
    );
    expect(cases[2]!.message).toBe("java.net.ConnectException: Connection refused");
  });

  it("reads go-junit-report's output", () => {
    const cases = parse(go);
    expect(cases.map((c) => [c.prefix, c.name, c.status, c.message])).toEqual([
      ["github.com/example/shop/cart", "TestAdd", "SUCCEEDED", undefined],
      ["github.com/example/shop/cart", "TestRemove", "FAILED", "Failed\ncart_test.go:22: want 1 item, got 2"],
      ["github.com/example/shop/cart", "TestCheckout", "SKIPPED", "Skipped\ncart_test.go:30: flaky on CI"],
    ]);
    expect(cases[1]!.durationInNanoSeconds).toBe(10_000_000);
  });

  it("names each case after its innermost suite when suites nest", () => {
    const cases = parse(
      `<testsuites name="all"><testsuite name="outer"><testcase name="a"/><testsuite name="inner"><testcase name="b"/></testsuite><testsuite><testcase name="c"/></testsuite></testsuite><testcase name="d"/></testsuites>`,
    );
    expect(cases.map((c) => [c.name, c.testSuiteName])).toEqual([
      ["d", "all"],
      ["a", "outer"],
      ["b", "inner"],
      ["c", "outer"],
    ]);
  });

  it("cuts names to 1,000 and messages to 5,000 characters, and treats bad times as 0", () => {
    const [testCase] = parse(
      `<testsuite name="s"><testcase name="${"n".repeat(1500)}" time="abc"><failure message="${"m".repeat(6000)}"/></testcase></testsuite>`,
    );
    expect(testCase!.name.length).toBe(1000);
    expect(testCase!.message!.length).toBe(5000);
    expect(testCase!.durationInNanoSeconds).toBe(0);
    expect(parse(`<testsuite><testcase name="x"/></testsuite>`)[0]).toMatchObject({
      prefix: "",
      durationInNanoSeconds: 0,
    });
  });

  it("fails clearly on malformed XML and on other documents", () => {
    expect(parseJUnitXml("<testsuite><testcase></testsuite>", "r.xml")).toEqual({
      ok: false,
      error: expect.stringMatching(/^malformed XML at line 1, column \d+: .*testcase/),
    });
    expect(parseJUnitXml("not xml at all", "r.xml")).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^malformed XML/),
    });
    expect(parseJUnitXml("<coverage/>", "r.xml")).toEqual({
      ok: false,
      error: "not a JUnit XML report: the root element is <coverage>, not <testsuites> or <testsuite>",
    });
  });
});

function testCase(name: string, status: TestCase["status"], duration = 1): TestCase {
  return { testRawDataPath: "r.xml", prefix: "", name, status, durationInNanoSeconds: duration };
}

describe("summarizeTestCases", () => {
  it("counts statuses present and adds up durations", () => {
    expect(
      summarizeTestCases([
        testCase("a", "SUCCEEDED", 5),
        testCase("b", "FAILED", 7),
        testCase("c", "SUCCEEDED", 1),
      ]),
    ).toEqual({ total: 3, statusCounts: { SUCCEEDED: 2, FAILED: 1 }, durationInNanoSeconds: 13 });
    expect(summarizeTestCases([])).toEqual({ total: 0, statusCounts: {}, durationInNanoSeconds: 0 });
  });
});

describe("truncateTestCases", () => {
  it("keeps every case up to the limit", () => {
    const cases = [testCase("a", "SUCCEEDED"), testCase("b", "FAILED")];
    expect(truncateTestCases(cases, 2)).toEqual({ cases, truncated: false });
  });

  it("keeps failures and errors when it must drop cases, in their original order", () => {
    const cases = [
      ...Array.from({ length: 600 }, (_, i) => testCase(`ok${i}`, "SUCCEEDED")),
      testCase("late-failure", "FAILED"),
      testCase("late-error", "ERROR"),
    ];
    const { cases: kept, truncated } = truncateTestCases(cases);
    expect(truncated).toBe(true);
    expect(kept.length).toBe(500);
    expect(kept.slice(-2).map((c) => c.name)).toEqual(["late-failure", "late-error"]);
    expect(kept[0]!.name).toBe("ok0");
    expect(kept[497]!.name).toBe("ok497");
  });

  it("keeps only failures when there are more of them than the limit", () => {
    const cases = [
      testCase("ok", "SUCCEEDED"),
      testCase("f1", "FAILED"),
      testCase("f2", "FAILED"),
      testCase("f3", "ERROR"),
    ];
    expect(truncateTestCases(cases, 2).cases.map((c) => c.name)).toEqual(["f1", "f2"]);
  });
});

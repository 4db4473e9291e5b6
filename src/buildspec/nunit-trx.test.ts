import { describe, expect, it } from "vitest";
import { parseNUnit3Xml, parseNUnitXml, splitQualified } from "./nunit.js";
import { parseTrx, timeSpanToNanos } from "./trx.js";

// NUnit 2.6 console output (trimmed).
const nunit2 = `<?xml version="1.0" encoding="utf-8" standalone="no"?>
<test-results name="Shop.Tests.dll" total="6" errors="1" failures="1" not-run="2" inconclusive="1" ignored="1" skipped="0" invalid="0" date="2024-05-02" time="10:11:12">
  <environment nunit-version="2.6.4.14350" clr-version="4.0.30319.42000" os-version="Unix 5.15" platform="Unix" cwd="/src" machine-name="ci" user="root" user-domain="ci" />
  <test-suite type="Assembly" name="/src/Shop.Tests.dll" executed="True" result="Failure" success="False" time="0.812">
    <results>
      <test-suite type="Namespace" name="Shop" executed="True" result="Failure" success="False" time="0.8">
        <results>
          <test-suite type="TestFixture" name="CartTests" executed="True" result="Failure" success="False" time="0.7">
            <results>
              <test-case name="Shop.CartTests.AddsItem" executed="True" result="Success" success="True" time="0.041" asserts="1" />
              <test-case name="Shop.CartTests.Totals" executed="True" result="Failure" success="False" time="0.012" asserts="1">
                <failure>
                  <message><![CDATA[  Expected: 30
  But was:  29
]]></message>
                  <stack-trace><![CDATA[at Shop.CartTests.Totals() in /src/CartTests.cs:line 20
]]></stack-trace>
                </failure>
              </test-case>
              <test-case name="Shop.CartTests.Connects" executed="True" result="Error" success="False" time="0.003">
                <failure><message><![CDATA[System.TimeoutException : no database]]></message><stack-trace /></failure>
              </test-case>
              <test-case name="Shop.CartTests.Later" executed="False" result="Ignored">
                <reason><message><![CDATA[not yet]]></message></reason>
              </test-case>
              <test-case name="Shop.CartTests.Maybe" executed="True" result="Inconclusive" success="False" time="0.001" />
              <test-suite type="ParameterizedTest" name="Discounts" executed="True" result="Success" success="True" time="0.002">
                <results>
                  <test-case name="Shop.CartTests.Discounts(0.5m,&quot;a.b&quot;)" executed="True" result="Success" success="True" time="0.002" />
                </results>
              </test-suite>
            </results>
          </test-suite>
        </results>
      </test-suite>
    </results>
  </test-suite>
</test-results>`;

// NUnit 3 console / dotnet test --logger nunit output (trimmed).
const nunit3 = `<?xml version="1.0" encoding="utf-8" standalone="no"?>
<test-run id="0" runstate="Runnable" testcasecount="6" result="Failed" total="6" passed="2" failed="2" warnings="1" inconclusive="0" skipped="1" asserts="5" engine-version="3.16.3.0" clr-version="8.0.0" start-time="2024-05-02 10:11:12Z" end-time="2024-05-02 10:11:13Z" duration="0.812">
  <test-suite type="Assembly" id="0-1007" name="Shop.Tests.dll" fullname="/src/bin/Shop.Tests.dll" runstate="Runnable" testcasecount="6" result="Failed" duration="0.8">
    <test-suite type="TestSuite" id="0-1008" name="Shop" fullname="Shop" runstate="Runnable" testcasecount="6" result="Failed">
      <test-suite type="TestFixture" id="0-1000" name="CartTests" fullname="Shop.CartTests" classname="Shop.CartTests" runstate="Runnable" testcasecount="6" result="Failed">
        <test-case id="0-1001" name="AddsItem" fullname="Shop.CartTests.AddsItem" methodname="AddsItem" classname="Shop.CartTests" runstate="Runnable" result="Passed" duration="0.041" asserts="1" />
        <test-case id="0-1002" name="Totals" fullname="Shop.CartTests.Totals" methodname="Totals" classname="Shop.CartTests" runstate="Runnable" result="Failed" duration="0.012" asserts="1">
          <failure>
            <message><![CDATA[  Expected: 30
  But was:  29
]]></message>
            <stack-trace><![CDATA[   at Shop.CartTests.Totals() in /src/CartTests.cs:line 20
]]></stack-trace>
          </failure>
          <assertions><assertion result="Failed"><message><![CDATA[Expected: 30]]></message></assertion></assertions>
        </test-case>
        <test-case id="0-1003" name="Connects" fullname="Shop.CartTests.Connects" methodname="Connects" classname="Shop.CartTests" runstate="Runnable" result="Failed" label="Error" duration="0.003">
          <failure><message><![CDATA[System.TimeoutException : no database]]></message></failure>
        </test-case>
        <test-case id="0-1004" name="Later" fullname="Shop.CartTests.Later" methodname="Later" classname="Shop.CartTests" runstate="Ignored" result="Skipped" label="Ignored" duration="0">
          <reason><message><![CDATA[not yet]]></message></reason>
        </test-case>
        <test-case id="0-1005" name="Warns" fullname="Shop.CartTests.Warns" methodname="Warns" classname="Shop.CartTests" runstate="Runnable" result="Warning" duration="0.001" />
        <test-suite type="ParameterizedMethod" id="0-1009" name="Discounts" fullname="Shop.CartTests.Discounts" classname="Shop.CartTests" runstate="Runnable" testcasecount="1" result="Passed">
          <test-case id="0-1006" name="Discounts(0.5m,&quot;a.b&quot;)" fullname="Shop.CartTests.Discounts(0.5m,&quot;a.b&quot;)" methodname="Discounts" classname="Shop.CartTests" runstate="Runnable" result="Passed" duration="0.002" />
        </test-suite>
      </test-suite>
    </test-suite>
  </test-suite>
</test-run>`;

// dotnet test --logger trx (trimmed); one data-driven test with inner results.
const trx = `<?xml version="1.0" encoding="utf-8"?>
<TestRun id="5d1f" name="root@ci 2024-05-02 10:11:12" runUser="root" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
  <Times creation="2024-05-02T10:11:12.0000000+00:00" start="2024-05-02T10:11:12.0000000+00:00" finish="2024-05-02T10:11:13.0000000+00:00" />
  <Results>
    <UnitTestResult executionId="e1" testId="t1" testName="AddsItem" computerName="ci" duration="00:00:00.0410000" startTime="2024-05-02T10:11:12.1+00:00" endTime="2024-05-02T10:11:12.2+00:00" testType="13cdc9d9-ddb5-4fa4-a97d-d965ccfc6d4b" outcome="Passed" testListId="l1" relativeResultsDirectory="e1" />
    <UnitTestResult executionId="e2" testId="t2" testName="Shop.CartTests.Totals" computerName="ci" duration="00:00:00.0120000" outcome="Failed" testListId="l1">
      <Output>
        <ErrorInfo>
          <Message>Assert.Equal() Failure
Expected: 30
Actual:   29</Message>
          <StackTrace>   at Shop.CartTests.Totals() in /src/CartTests.cs:line 20</StackTrace>
        </ErrorInfo>
      </Output>
    </UnitTestResult>
    <UnitTestResult executionId="e3" testId="t3" testName="Later" duration="00:00:00" outcome="NotExecuted" testListId="l1">
      <Output><StdOut>Skipped: not yet</StdOut></Output>
    </UnitTestResult>
    <UnitTestResult executionId="e4" testId="t4" testName="Hangs" duration="00:01:00.0000000" outcome="Timeout" testListId="l1" />
    <UnitTestResult executionId="e5" testId="t5" testName="Discounts" duration="00:00:00.0040000" outcome="Failed" testListId="l1" resultType="DataDrivenTest">
      <InnerResults>
        <UnitTestResult executionId="e6" parentExecutionId="e5" testId="t5" testName="Discounts (0.5)" duration="00:00:00.0020000" outcome="Passed" testListId="l1" resultType="DataDrivenDataRow" />
        <UnitTestResult executionId="e7" parentExecutionId="e5" testId="t5" testName="Discounts (1.5)" duration="00:00:00.0020000" outcome="Failed" testListId="l1" resultType="DataDrivenDataRow" />
      </InnerResults>
    </UnitTestResult>
  </Results>
  <TestDefinitions>
    <UnitTest name="AddsItem" storage="/src/bin/shop.tests.dll" id="t1"><Execution id="e1" /><TestMethod codeBase="/src/bin/Shop.Tests.dll" adapterTypeName="executor://xunit/VsTestRunner2/netcoreapp" className="Shop.CartTests, Shop.Tests, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null" name="AddsItem" /></UnitTest>
    <UnitTest name="Totals" storage="/src/bin/shop.tests.dll" id="t2"><TestMethod codeBase="/src/bin/Shop.Tests.dll" className="Shop.CartTests" name="Totals" /></UnitTest>
    <UnitTest name="Later" storage="/src/bin/shop.tests.dll" id="t3"><TestMethod className="Shop.CartTests" name="Later" /></UnitTest>
    <UnitTest name="Discounts" storage="/src/bin/shop.tests.dll" id="t5"><TestMethod className="Shop.PricingTests" name="Discounts" /></UnitTest>
  </TestDefinitions>
</TestRun>`;

const rows = (result: ReturnType<typeof parseNUnitXml>) =>
  result.ok
    ? result.value.map((c) => [c.prefix, c.name, c.status, c.durationInNanoSeconds, c.testSuiteName])
    : result.error;

describe("parseNUnitXml (NUnit 2)", () => {
  it("reads every test case of nested suites with NUnit 2's statuses", () => {
    expect(rows(parseNUnitXml(nunit2, "TestResults/TestResult.xml"))).toEqual([
      ["Shop.CartTests", "AddsItem", "SUCCEEDED", 41_000_000, "CartTests"],
      ["Shop.CartTests", "Totals", "FAILED", 12_000_000, "CartTests"],
      ["Shop.CartTests", "Connects", "ERROR", 3_000_000, "CartTests"],
      ["Shop.CartTests", "Later", "SKIPPED", 0, "CartTests"],
      ["Shop.CartTests", "Maybe", "SKIPPED", 1_000_000, "CartTests"],
      ["Shop.CartTests", 'Discounts(0.5m,"a.b")', "SUCCEEDED", 2_000_000, "CartTests"],
    ]);
  });

  it("keeps the failure message and stack, and the reason a case did not run", () => {
    const result = parseNUnitXml(nunit2, "TestResults/TestResult.xml");
    const cases = result.ok ? result.value : [];
    expect(cases[1]?.message).toBe(
      "Expected: 30\n  But was:  29\nat Shop.CartTests.Totals() in /src/CartTests.cs:line 20",
    );
    expect(cases[2]?.message).toBe("System.TimeoutException : no database");
    expect(cases[3]?.message).toBe("not yet");
    expect(cases[0]?.message).toBeUndefined();
    expect(cases[0]?.testRawDataPath).toBe("TestResults/TestResult.xml");
  });

  it("says when it is given an NUnit 3 report, or something else", () => {
    expect(rows(parseNUnitXml(nunit3, "r.xml"))).toBe(
      "not an NUnit 2 report: the root element is <test-run>, not <test-results> (this is an NUnit 3 report: use file-format NUNIT3XML)",
    );
    expect(rows(parseNUnitXml("<testsuites/>", "r.xml"))).toBe(
      "not an NUnit 2 report: the root element is <testsuites>, not <test-results>",
    );
    expect(rows(parseNUnitXml("<test-results><test-case>", "r.xml"))).toMatch(/^malformed XML at line 1/);
  });
});

describe("parseNUnit3Xml (NUnit 3)", () => {
  it("reads test cases at any depth with NUnit 3's results and labels", () => {
    expect(rows(parseNUnit3Xml(nunit3, "TestResults/TestResult.xml"))).toEqual([
      ["Shop.CartTests", "AddsItem", "SUCCEEDED", 41_000_000, "CartTests"],
      ["Shop.CartTests", "Totals", "FAILED", 12_000_000, "CartTests"],
      ["Shop.CartTests", "Connects", "ERROR", 3_000_000, "CartTests"],
      ["Shop.CartTests", "Later", "SKIPPED", 0, "CartTests"],
      ["Shop.CartTests", "Warns", "SUCCEEDED", 1_000_000, "CartTests"],
      ["Shop.CartTests", 'Discounts(0.5m,"a.b")', "SUCCEEDED", 2_000_000, "CartTests"],
    ]);
    const cases = parseNUnit3Xml(nunit3, "r.xml");
    expect(cases.ok && cases.value[1]?.message).toBe(
      "Expected: 30\n  But was:  29\nat Shop.CartTests.Totals() in /src/CartTests.cs:line 20",
    );
    expect(cases.ok && cases.value[3]?.message).toBe("not yet");
  });

  it("falls back to the fullname for the prefix, and to the innermost suite without a fixture", () => {
    const xml =
      '<test-run><test-suite type="TestSuite" name="Loose"><test-case name="Works" fullname="A.B.Works" result="Passed" duration="1"/></test-suite></test-run>';
    expect(rows(parseNUnit3Xml(xml, "r.xml"))).toEqual([
      ["A.B", "Works", "SUCCEEDED", 1_000_000_000, "Loose"],
    ]);
  });

  it("says when it is given an NUnit 2 report", () => {
    expect(rows(parseNUnit3Xml(nunit2, "r.xml"))).toBe(
      "not an NUnit 3 report: the root element is <test-results>, not <test-run> (this is an NUnit 2 report: use file-format NUNITXML)",
    );
  });
});

describe("parseTrx (Visual Studio TRX)", () => {
  it("reads results with their class from the test definitions, and inner results of data-driven tests", () => {
    expect(rows(parseTrx(trx, "TestResults/run.trx"))).toEqual([
      ["Shop.CartTests", "AddsItem", "SUCCEEDED", 41_000_000, "root@ci 2024-05-02 10:11:12"],
      ["Shop.CartTests", "Totals", "FAILED", 12_000_000, "root@ci 2024-05-02 10:11:12"],
      ["Shop.CartTests", "Later", "SKIPPED", 0, "root@ci 2024-05-02 10:11:12"],
      ["", "Hangs", "ERROR", 60_000_000_000, "root@ci 2024-05-02 10:11:12"],
      ["Shop.PricingTests", "Discounts (0.5)", "SUCCEEDED", 2_000_000, "root@ci 2024-05-02 10:11:12"],
      ["Shop.PricingTests", "Discounts (1.5)", "FAILED", 2_000_000, "root@ci 2024-05-02 10:11:12"],
    ]);
    const cases = parseTrx(trx, "r.trx");
    expect(cases.ok && cases.value[1]?.message).toBe(
      "Assert.Equal() Failure\nExpected: 30\nActual:   29\nat Shop.CartTests.Totals() in /src/CartTests.cs:line 20",
    );
  });

  it("refuses other documents", () => {
    expect(rows(parseTrx(nunit3, "r.trx"))).toBe(
      "not a Visual Studio TRX report: the root element is <test-run>, not <TestRun>",
    );
  });

  it("reads TimeSpan durations, days included, and gives 0 for anything else", () => {
    expect(timeSpanToNanos("00:00:01.5")).toBe(1_500_000_000);
    expect(timeSpanToNanos("1.02:00:00")).toBe(93_600_000_000_000);
    expect(timeSpanToNanos("soon")).toBe(0);
    expect(timeSpanToNanos(undefined)).toBe(0);
  });
});

describe("splitQualified", () => {
  it("splits at the last dot outside parentheses and quotes", () => {
    expect(splitQualified('Ns.Class.Method(1.5,"a.b)")')).toEqual(["Ns.Class", 'Method(1.5,"a.b)")']);
    expect(splitQualified("Method")).toEqual(["", "Method"]);
  });
});

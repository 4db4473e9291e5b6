import { describe, expect, it } from "vitest";
import { parseNUnit3Xml, parseNUnitXml, splitQualified } from "./nunit.js";
import { parseTrx, timeSpanToNanos } from "./trx.js";
import { childNames, children, parseXml } from "./xml-report.js";

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

  it("maps the results of cases that did not run as NUnit 2.5+ and older versions write them", () => {
    // NUnit 2.6 writes not-run cases with executed="False" and a result; 2.4 without a result.
    const xml = `<test-results name="Shop.Tests.dll" total="3" errors="0" failures="0" not-run="4">
  <test-suite type="Assembly" name="/src/Shop.Tests.dll" executed="True" result="Success" success="True" time="0.1">
    <results>
      <test-suite type="Namespace" name="Shop" executed="True" result="Success" success="True" time="0.1">
        <results>
          <test-case name="Shop.Setup.Skips" executed="False" result="Skipped">
            <reason><message><![CDATA[Category excluded]]></message></reason>
          </test-case>
          <test-case name="Shop.Setup.Returns" executed="False" result="NotRunnable">
            <reason><message><![CDATA[Method has non-void return value, but no result is expected]]></message></reason>
          </test-case>
          <test-case name="Shop.Setup.Stopped" executed="True" result="Cancelled" success="False" time="0.100" />
          <test-case name="Shop.Setup.NeverStarted" executed="False" result="Cancelled" />
          <test-case name="Shop.Setup.Old" executed="False" />
          <test-case name="Standalone" executed="True" result="Success" success="True" time="1,000.5" />
        </results>
      </test-suite>
    </results>
  </test-suite>
</test-results>`;
    const result = parseNUnitXml(xml, "r.xml");
    expect(rows(result)).toEqual([
      ["Shop.Setup", "Skips", "SKIPPED", 0, "Shop"],
      ["Shop.Setup", "Returns", "ERROR", 0, "Shop"],
      ["Shop.Setup", "Stopped", "UNKNOWN", 100_000_000, "Shop"],
      ["Shop.Setup", "NeverStarted", "SKIPPED", 0, "Shop"],
      ["Shop.Setup", "Old", "SKIPPED", 0, "Shop"],
      ["", "Standalone", "SUCCEEDED", 1_000_500_000_000, "Shop"],
    ]);
    expect(result.ok && result.value.map((c) => c.message)).toEqual([
      "Category excluded",
      "Method has non-void return value, but no result is expected",
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
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

  it("maps every result and label, in suites nested several deep", () => {
    // A parameterised fixture holds one TestFixture per argument set.
    const xml = `<test-run id="0" result="Failed" total="7" engine-version="3.16.3.0" duration="0.1">
  <test-suite type="Assembly" id="0-1" name="Shop.Tests.dll" fullname="/src/bin/Shop.Tests.dll" result="Failed">
    <test-suite type="TestSuite" id="0-2" name="Shop" fullname="Shop" result="Failed">
      <test-suite type="ParameterizedFixture" id="0-3" name="PriceTests" fullname="Shop.PriceTests" result="Failed">
        <test-suite type="TestFixture" id="0-4" name="PriceTests(&quot;EUR&quot;)" fullname="Shop.PriceTests(&quot;EUR&quot;)" classname="Shop.PriceTests" result="Failed">
          <test-suite type="ParameterizedMethod" id="0-5" name="Rounds" fullname="Shop.PriceTests(&quot;EUR&quot;).Rounds" classname="Shop.PriceTests" result="Failed">
            <test-case id="0-6" name="Rounds(1.005m)" fullname="Shop.PriceTests(&quot;EUR&quot;).Rounds(1.005m)" methodname="Rounds" classname="Shop.PriceTests" runstate="Runnable" result="Inconclusive" duration="0.25">
              <reason><message><![CDATA[rounding mode unknown]]></message></reason>
            </test-case>
          </test-suite>
          <test-case id="0-7" name="Generic" fullname="Shop.PriceTests(&quot;EUR&quot;).Generic" methodname="Generic" classname="Shop.PriceTests" runstate="NotRunnable" result="Failed" label="Invalid" duration="0">
            <reason><message><![CDATA[No arguments were provided]]></message></reason>
          </test-case>
          <test-case id="0-8" name="Slow" fullname="Shop.PriceTests(&quot;EUR&quot;).Slow" methodname="Slow" classname="Shop.PriceTests" runstate="Runnable" result="Failed" label="Cancelled" duration="5.000" />
          <test-case id="0-9" name="Manual" fullname="Shop.PriceTests(&quot;EUR&quot;).Manual" methodname="Manual" classname="Shop.PriceTests" runstate="Explicit" result="Skipped" label="Explicit" />
          <test-case id="0-10" name="Crashes" fullname="Shop.PriceTests(&quot;EUR&quot;).Crashes" methodname="Crashes" classname="Shop.PriceTests" runstate="Runnable" result="Failed" label="Error" duration="0.001">
            <failure>
              <message><![CDATA[System.NullReferenceException : Object reference not set to an instance of an object.]]></message>
              <stack-trace><![CDATA[   at Shop.PriceTests.Crashes() in /src/PriceTests.cs:line 40]]></stack-trace>
            </failure>
          </test-case>
          <test-case id="0-11" name="Odd" fullname="Shop.PriceTests(&quot;EUR&quot;).Odd" methodname="Odd" classname="Shop.PriceTests" result="Running" duration="0.5" />
        </test-suite>
      </test-suite>
    </test-suite>
  </test-suite>
</test-run>`;
    const result = parseNUnit3Xml(xml, "r.xml");
    const suite = 'PriceTests("EUR")';
    expect(rows(result)).toEqual([
      ["Shop.PriceTests", "Generic", "ERROR", 0, suite],
      ["Shop.PriceTests", "Slow", "ERROR", 5_000_000_000, suite],
      ["Shop.PriceTests", "Manual", "SKIPPED", 0, suite],
      ["Shop.PriceTests", "Crashes", "ERROR", 1_000_000, suite],
      ["Shop.PriceTests", "Odd", "UNKNOWN", 500_000_000, suite],
      ["Shop.PriceTests", "Rounds(1.005m)", "SKIPPED", 250_000_000, suite],
    ]);
    expect(result.ok && result.value.map((c) => c.message)).toEqual([
      "No arguments were provided",
      undefined,
      undefined,
      "System.NullReferenceException : Object reference not set to an instance of an object.\nat Shop.PriceTests.Crashes() in /src/PriceTests.cs:line 40",
      undefined,
      "rounding mode unknown",
    ]);
  });

  it("cuts names to 1,000 characters and messages to 5,000", () => {
    const xml = `<test-run><test-suite type="TestFixture" name="F"><test-case name="${"n".repeat(1200)}" classname="A" result="Failed"><failure><message>${"m".repeat(6000)}</message></failure></test-case></test-suite></test-run>`;
    const result = parseNUnit3Xml(xml, "r.xml");
    expect(result.ok && result.value[0]?.name).toBe("n".repeat(1000));
    expect(result.ok && result.value[0]?.message).toBe("m".repeat(5000));
  });

  it("says when it is given an NUnit 2 report", () => {
    expect(rows(parseNUnit3Xml(nunit2, "r.xml"))).toBe(
      "not an NUnit 3 report: the root element is <test-results>, not <test-run> (this is an NUnit 2 report: use file-format NUNITXML)",
    );
    expect(rows(parseNUnit3Xml(trx, "r.xml"))).toBe(
      "not an NUnit 3 report: the root element is <TestRun>, not <test-run>",
    );
    expect(rows(parseNUnit3Xml("<test-run>\n  <test-suite></test-run>", "r.xml"))).toMatch(
      /^malformed XML at line 2, /,
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
    expect(cases.ok && cases.value.map((c) => c.message)).toEqual([
      undefined,
      "Assert.Equal() Failure\nExpected: 30\nActual:   29\nat Shop.CartTests.Totals() in /src/CartTests.cs:line 20",
      undefined, // a skip's <StdOut> is not a message
      undefined,
      undefined,
      undefined,
    ]);
  });

  it("sees plain element names under TRX's default namespace", () => {
    const document = parseXml(trx);
    const run = document.ok ? children(document.value, "TestRun")[0] : undefined;
    expect(run === undefined ? [] : childNames(run)).toEqual(["Times", "Results", "TestDefinitions"]);
  });

  it("maps every outcome, and takes the prefix from a qualified testName without a definition", () => {
    const outcomes = [
      ["Passed", "SUCCEEDED"],
      ["PassedButRunAborted", "SUCCEEDED"],
      ["Warning", "SUCCEEDED"],
      ["Failed", "FAILED"],
      ["Error", "ERROR"],
      ["Timeout", "ERROR"],
      ["Aborted", "ERROR"],
      ["NotExecuted", "SKIPPED"],
      ["Inconclusive", "SKIPPED"],
      ["NotRunnable", "SKIPPED"],
      ["Disconnected", "SKIPPED"],
      ["InProgress", "SKIPPED"],
      ["Pending", "SKIPPED"],
      ["Completed", "UNKNOWN"],
    ] as const;
    const results = outcomes
      .map(
        ([outcome], i) =>
          `<UnitTestResult executionId="e${i}" testId="t${i}" testName="Shop.Ns.StatusTests.${outcome}(value: 1.5)" duration="00:00:0${i % 10}.25" outcome="${outcome}" />`,
      )
      .join("\n    ");
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<TestRun id="1" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
  <Results>
    ${results}
    <UnitTestResult executionId="x" testId="tx" testName="Shop.CartTests.Discounts(value: 0.5)" duration="soon" outcome="Passed" />
  </Results>
  <TestDefinitions>
    <UnitTest name="Discounts" id="tx"><TestMethod className="Shop.CartTests, Shop.Tests, Version=1.0.0.0" name="Discounts" /></UnitTest>
  </TestDefinitions>
</TestRun>`;
    expect(rows(parseTrx(xml, "r.trx"))).toEqual([
      ...outcomes.map(([outcome, status], i) => [
        "Shop.Ns.StatusTests",
        `${outcome}(value: 1.5)`,
        status,
        (i % 10) * 1_000_000_000 + 250_000_000,
        undefined,
      ]),
      ["Shop.CartTests", "Discounts(value: 0.5)", "SUCCEEDED", 0, undefined],
    ]);
  });

  it("refuses other documents", () => {
    expect(rows(parseTrx(nunit3, "r.trx"))).toBe(
      "not a Visual Studio TRX report: the root element is <test-run>, not <TestRun>",
    );
    expect(rows(parseTrx("<TestRun><Results><UnitTestResult></Results></TestRun>", "r.trx"))).toMatch(
      /^malformed XML at line 1, /,
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
    expect(splitQualified('Ns.Class.Method("a\\")b.c")')).toEqual(["Ns.Class", 'Method("a\\")b.c")']);
    expect(splitQualified("Ns.Class.Method(')', 1.5)")).toEqual(["Ns.Class", "Method(')', 1.5)"]);
    expect(splitQualified("Method")).toEqual(["", "Method"]);
  });
});

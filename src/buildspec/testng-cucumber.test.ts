import { describe, expect, it } from "vitest";
import { parseCucumberJson } from "./cucumber.js";
import { parseTestNgXml } from "./testng.js";

// TestNG 7 testng-results.xml (trimmed).
const testng = `<?xml version="1.0" encoding="UTF-8"?>
<testng-results ignored="0" total="3" passed="1" failed="1" skipped="1">
  <reporter-output/>
  <suite started-at="2024-05-02T10:11:12 UTC" name="Surefire suite" finished-at="2024-05-02T10:11:13 UTC" duration-ms="812">
    <test name="Surefire test" duration-ms="812">
      <class name="com.example.PaymentTest">
        <test-method is-config="true" signature="setUp()[pri:0]" name="setUp" status="PASS" duration-ms="3"/>
        <test-method signature="pays()[pri:0]" name="pays" status="PASS" duration-ms="41"/>
        <test-method signature="refunds()[pri:0]" name="refunds" status="FAIL" duration-ms="12">
          <exception class="java.lang.AssertionError">
            <message><![CDATA[expected [true] but found [false]]]></message>
            <full-stacktrace><![CDATA[java.lang.AssertionError: expected [true] but found [false]
	at com.example.PaymentTest.refunds(PaymentTest.java:20)]]></full-stacktrace>
          </exception>
        </test-method>
        <test-method signature="disputes()[pri:0]" name="disputes" status="SKIP" duration-ms="0"/>
      </class>
    </test>
  </suite>
</testng-results>`;

describe("parseTestNgXml", () => {
  it("reads test methods, leaving out configuration methods", () => {
    const result = parseTestNgXml(testng, "target/testng-results.xml");
    expect(
      result.ok && result.value.map((c) => [c.prefix, c.name, c.status, c.durationInNanoSeconds]),
    ).toEqual([
      ["com.example.PaymentTest", "pays", "SUCCEEDED", 41_000_000],
      ["com.example.PaymentTest", "refunds", "FAILED", 12_000_000],
      ["com.example.PaymentTest", "disputes", "SKIPPED", 0],
    ]);
    expect(result.ok && result.value[1]).toMatchObject({
      testSuiteName: "Surefire suite",
      message:
        "java.lang.AssertionError: expected [true] but found [false]\n\tat com.example.PaymentTest.refunds(PaymentTest.java:20)",
    });
  });

  it("refuses other documents", () => {
    expect(parseTestNgXml("<testsuite/>", "r.xml")).toEqual({
      ok: false,
      error: "not a TestNG report: the root element is not <testng-results>",
    });
  });
});

// cucumber-js --format json (trimmed): a background, a passing, a failing and an undefined scenario.
const cucumber = JSON.stringify([
  {
    name: "Checkout",
    elements: [
      { type: "background", name: "", steps: [{ result: { status: "passed", duration: 1000 } }] },
      {
        type: "scenario",
        name: "pays by card",
        steps: [{ result: { status: "passed", duration: 2_000_000 } }],
      },
      {
        type: "scenario",
        name: "pays by voucher",
        steps: [
          { result: { status: "passed", duration: 5 } },
          { result: { status: "failed", duration: 10, error_message: "AssertionError: voucher expired" } },
          { result: { status: "skipped" } },
        ],
      },
      { type: "scenario", name: "pays later", steps: [{ result: { status: "undefined" } }] },
    ],
  },
]);

describe("parseCucumberJson", () => {
  it("makes one case per scenario with the feature as prefix and suite", () => {
    const result = parseCucumberJson(cucumber, "reports/cucumber.json");
    expect(result.ok && result.value).toEqual([
      {
        testRawDataPath: "reports/cucumber.json",
        prefix: "Checkout",
        name: "pays by card",
        status: "SUCCEEDED",
        durationInNanoSeconds: 2_001_000,
        testSuiteName: "Checkout",
      },
      {
        testRawDataPath: "reports/cucumber.json",
        prefix: "Checkout",
        name: "pays by voucher",
        status: "FAILED",
        durationInNanoSeconds: 15,
        message: "AssertionError: voucher expired",
        testSuiteName: "Checkout",
      },
      {
        testRawDataPath: "reports/cucumber.json",
        prefix: "Checkout",
        name: "pays later",
        status: "SKIPPED",
        durationInNanoSeconds: 0,
        testSuiteName: "Checkout",
      },
    ]);
  });

  it("fails on malformed JSON and on other shapes", () => {
    expect(parseCucumberJson("{", "r.json")).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^malformed JSON/),
    });
    expect(parseCucumberJson("{}", "r.json")).toEqual({
      ok: false,
      error: "not a Cucumber JSON report: the top level is not an array of features",
    });
  });
});

import { mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ReportGroupSpec } from "../buildspec/types.js";
import { collectReport } from "./report-files.js";

let root: string;
let src: string;
beforeEach(async () => {
  root = await realpath(await mkdtemp(join(tmpdir(), "pipewright-reports-")));
  src = join(root, "src");
  await mkdir(src);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function write(path: string, text: string): Promise<void> {
  await mkdir(dirname(join(src, path)), { recursive: true });
  await writeFile(join(src, path), text);
}

function group(extra: Partial<ReportGroupSpec> = {}): ReportGroupSpec {
  return { group: "unit", files: ["**/*.xml"], discardPaths: false, fileFormat: "JUNITXML", ...extra };
}

const junit = (suite: string, failing: boolean) =>
  `<testsuite name="${suite}"><testcase classname="${suite}" name="works" time="0.5"/>${
    failing ? `<testcase classname="${suite}" name="breaks"><failure message="nope"/></testcase>` : ""
  }</testsuite>`;

const options = () => ({ sourceDir: src, buildRoot: root });

describe("collectReport", () => {
  it("reads every matching JUnit file below base-directory, paths relative to the source directory", async () => {
    await write("build/test-results/a/TEST-a.xml", junit("a", false));
    await write("build/test-results/b/TEST-b.xml", junit("b", true));
    await write("build/other.txt", "not a report");
    const report = await collectReport(group({ baseDirectory: "build/test-results" }), options());
    expect(report.files).toEqual(["build/test-results/a/TEST-a.xml", "build/test-results/b/TEST-b.xml"]);
    expect(report.problems).toEqual([]);
    expect(report.cases.map((c) => [c.testRawDataPath, c.name, c.status])).toEqual([
      ["build/test-results/a/TEST-a.xml", "works", "SUCCEEDED"],
      ["build/test-results/b/TEST-b.xml", "works", "SUCCEEDED"],
      ["build/test-results/b/TEST-b.xml", "breaks", "FAILED"],
    ]);
  });

  it("silently yields nothing for a base-directory that names nothing", async () => {
    await write("reports/junit.xml", junit("a", false));
    expect(await collectReport(group({ baseDirectory: "my=app" }), options())).toEqual({
      files: [],
      cases: [],
      problems: [],
    });
  });

  it("keeps both files when discard-paths would give them the same name", async () => {
    await write("a/junit.xml", junit("a", false));
    await write("b/junit.xml", junit("b", false));
    const report = await collectReport(group({ discardPaths: true }), options());
    expect(report.files).toEqual(["a/junit.xml", "b/junit.xml"]);
    expect(report.cases.length).toBe(2);
  });

  it("reports a file that does not parse and still reads the others", async () => {
    await write("reports/good.xml", junit("good", false));
    await write("reports/bad.xml", "<testsuite><testcase></testsuite>");
    const report = await collectReport(group(), options());
    expect(report.cases.map((c) => c.testSuiteName)).toEqual(["good"]);
    expect(report.problems).toEqual([expect.stringMatching(/^reports\/bad\.xml: malformed XML at line 1/)]);
  });

  it("reads TestNG and Cucumber reports by their file-format", async () => {
    await write(
      "target/testng-results.xml",
      `<testng-results><suite name="s"><test name="t"><class name="C"><test-method name="m" status="PASS" duration-ms="2"/></class></test></suite></testng-results>`,
    );
    await write(
      "cucumber.json",
      JSON.stringify([{ name: "F", elements: [{ type: "scenario", name: "S", steps: [] }] }]),
    );
    const testng = await collectReport(
      group({ files: ["target/testng-results.xml"], fileFormat: "TESTNGXML" }),
      options(),
    );
    expect(testng.cases.map((c) => [c.prefix, c.name, c.status])).toEqual([["C", "m", "SUCCEEDED"]]);
    const cucumber = await collectReport(
      group({ files: ["cucumber.json"], fileFormat: "CUCUMBERJSON" }),
      options(),
    );
    expect(cucumber.cases.map((c) => [c.prefix, c.name, c.status])).toEqual([["F", "S", "SKIPPED"]]);
  });

  it("reads NUnit 2, NUnit 3 and TRX reports by their file-format", async () => {
    await write(
      "TestResults/nunit2.xml",
      '<test-results><test-suite type="TestFixture" name="CartTests"><results><test-case name="Shop.CartTests.Adds" executed="True" result="Success" time="0.5"/></results></test-suite></test-results>',
    );
    await write(
      "TestResults/nunit3.xml",
      '<test-run><test-suite type="TestFixture" name="CartTests"><test-case name="Removes" classname="Shop.CartTests" result="Failed" duration="0.25"><failure><message>gone</message></failure></test-case></test-suite></test-run>',
    );
    await write(
      "TestResults/run.trx",
      '<TestRun name="ci" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010"><Results><UnitTestResult testId="1" testName="Empties" outcome="NotExecuted" duration="00:00:01.5"/></Results><TestDefinitions><UnitTest id="1" name="Empties"><TestMethod className="Shop.CartTests, Shop.Tests" name="Empties"/></UnitTest></TestDefinitions></TestRun>',
    );
    const read = async (file: string, fileFormat: "NUNITXML" | "NUNIT3XML" | "VISUALSTUDIOTRX") =>
      (await collectReport(group({ files: [file], fileFormat }), options())).cases.map((c) => [
        c.prefix,
        c.name,
        c.status,
        c.durationInNanoSeconds,
        c.testSuiteName,
      ]);
    expect(await read("TestResults/nunit2.xml", "NUNITXML")).toEqual([
      ["Shop.CartTests", "Adds", "SUCCEEDED", 500_000_000, "CartTests"],
    ]);
    expect(await read("TestResults/nunit3.xml", "NUNIT3XML")).toEqual([
      ["Shop.CartTests", "Removes", "FAILED", 250_000_000, "CartTests"],
    ]);
    expect(await read("TestResults/run.trx", "VISUALSTUDIOTRX")).toEqual([
      ["Shop.CartTests", "Empties", "SKIPPED", 1_500_000_000, "ci"],
    ]);
  });

  it("says which formats Pipewright cannot read yet instead of ignoring them", async () => {
    await write("coverage/clover.xml", "<coverage/>");
    for (const fileFormat of ["CLOVERXML", "COBERTURAXML", "JACOCOXML", "SIMPLECOV"] as const) {
      const report = await collectReport(group({ files: ["coverage/clover.xml"], fileFormat }), options());
      expect(report).toEqual({
        files: ["coverage/clover.xml"],
        cases: [],
        problems: [`file-format ${fileFormat} is not supported by Pipewright yet`],
      });
    }
  });

  it("refuses a base-directory outside the build root as a problem", async () => {
    const report = await collectReport(group({ baseDirectory: "/etc" }), options());
    expect(report).toEqual({
      files: [],
      cases: [],
      problems: [`base-directory '/etc' is outside the build root ${root}`],
    });
  });
});

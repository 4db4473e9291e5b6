import { describe, expect, it } from "vitest";
import { onlyError, parsed, withBuild } from "./testing/parse-helpers.js";

describe("parseBuildspec: reports", () => {
  it("reads report groups with upper-cased formats and the JUNITXML default", () => {
    const { buildspec } = parsed(
      withBuild(
        "reports:",
        "  arn:aws:codebuild:us-east-1:123456789012:report-group/unit:",
        "    files: ['**/*.xml']",
        "    base-directory: build/test-results",
        "    discard-paths: yes",
        "  coverage:",
        "    files: coverage/clover.xml",
        "    file-format: CloverXml",
      ),
    );
    expect(buildspec.reports).toEqual([
      {
        group: "arn:aws:codebuild:us-east-1:123456789012:report-group/unit",
        files: ["**/*.xml"],
        baseDirectory: "build/test-results",
        discardPaths: true,
        fileFormat: "JUNITXML",
      },
      { group: "coverage", files: ["coverage/clover.xml"], discardPaths: false, fileFormat: "CLOVERXML" },
    ]);
  });

  it("rejects an unknown file-format, listing the valid ones", () => {
    expect(onlyError(withBuild("reports:", "  unit:", "    files: [a]", "    file-format: JSON"))).toBe(
      '9:18 reports.unit.file-format: "JSON" is not a report file-format; use one of JUNITXML, CUCUMBERJSON, NUNITXML, NUNIT3XML, TESTNGXML, VISUALSTUDIOTRX, CLOVERXML, COBERTURAXML, JACOCOXML, SIMPLECOV',
    );
  });

  it("requires files in every group", () => {
    expect(onlyError(withBuild("reports:", "  unit:", "    base-directory: x"))).toBe(
      "7:3 reports.unit: report group unit has no files list; add files: with the report files, e.g. - 'reports/junit.xml'",
    );
  });

  it("allows at most five report groups", () => {
    const groups = ["a", "b", "c", "d", "e", "f"].map((name) => `  ${name}: {files: [x]}`);
    expect(onlyError(withBuild("reports:", ...groups))).toBe(
      "12:3 reports.f: reports lists 6 report groups; CodeBuild allows at most 5 per project, so merge or remove some",
    );
  });
});

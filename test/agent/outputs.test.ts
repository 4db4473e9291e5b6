import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { listZip } from "../../src/zip/index.js";
import { cleanupRuns, contextOf, runAgent } from "../support/agent-harness.js";

// Conformance with spec/buildspec.md §3.5-§3.7: artifacts, reports and the cache, through the
// whole agent (UPLOAD_ARTIFACTS), with variables expanded in the build's final environment.

afterAll(cleanupRuns);

const names = async (zipPath: string) => (await listZip(zipPath)).map((e) => e.name).sort();

const makeFiles = [
  "      - mkdir -p dist/js dist/css out && echo a > dist/index.html && echo b > dist/js/app.js",
  "      - echo c > dist/css/site.css && echo d > dist/js/app.js.map && echo e > out/report.txt",
];

describe("artifacts", () => {
  it("zips the primary artifact by its globs, base-directory and exclude-paths, variables expanded", async () => {
    const run = await runAgent(
      [
        "version: 0.2",
        "phases:",
        "  build:",
        "    commands:",
        ...makeFiles,
        "      - export OUT_DIR=dist",
        "      - cd out",
        "artifacts:",
        "  base-directory: $OUT_DIR",
        "  files:",
        "    - '**/*'",
        "  exclude-paths:",
        "    - '**/*.map'",
      ].join("\n"),
      { outputs: [{ name: "primary" }] },
    );
    expect(run.result.buildStatus).toBe("SUCCEEDED");
    const [artifact] = run.result.artifacts;
    expect(artifact?.identifier).toBeUndefined();
    expect(await names(artifact?.zipPath ?? "")).toEqual(["css/site.css", "index.html", "js/app.js"]);
    expect(artifact?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(run.agent).toContain("Expanding base directory path: dist");
  });

  it("flattens with discard-paths and builds secondary artifacts by identifier", async () => {
    const run = await runAgent(
      [
        "version: 0.2",
        "phases:",
        "  build:",
        "    commands:",
        ...makeFiles,
        "artifacts:",
        "  files:",
        "    - dist/js/*",
        "  discard-paths: yes",
        "  secondary-artifacts:",
        "    reports:",
        "      files:",
        "        - out/report.txt",
        "    site:",
        "      base-directory: dist",
        "      files:",
        "        - index.html",
        "        - css/**/*",
      ].join("\n"),
      {
        outputs: [
          { name: "primary" },
          { identifier: "site", name: "site" },
          { identifier: "reports", name: "reports" },
        ],
      },
    );
    expect(run.result.buildStatus).toBe("SUCCEEDED");
    const byId = new Map(run.result.artifacts.map((a) => [a.identifier ?? "(primary)", a.zipPath]));
    expect(await names(byId.get("(primary)") ?? "")).toEqual(["app.js", "app.js.map"]);
    expect(await names(byId.get("site") ?? "")).toEqual(["css/site.css", "index.html"]);
    expect(await names(byId.get("reports") ?? "")).toEqual(["out/report.txt"]);
  });

  it("fails UPLOAD_ARTIFACTS with CodeBuild's CLIENT_ERROR when nothing matches", async () => {
    const run = await runAgent(
      [
        "version: 0.2",
        "phases:",
        "  build:",
        "    commands:",
        "      - mkdir -p sub && cd sub && echo x > imagedefinitions.json",
        "artifacts:",
        "  files: imagedefinitions.json",
      ].join("\n"),
      { outputs: [{ name: "primary" }] },
    );
    expect(run.phases.find(([p]) => p === "UPLOAD_ARTIFACTS")?.[1]).toBe("FAILED");
    expect(contextOf(run, "UPLOAD_ARTIFACTS")).toEqual({
      statusCode: "CLIENT_ERROR",
      message: "no matching artifact paths found",
    });
    expect(run.agent).toContain("Skipping invalid file path imagedefinitions.json");
    expect(run.result.buildStatus).toBe("FAILED");
  });

  it("fails when an output is wanted and the buildspec defines no artifacts", async () => {
    const run = await runAgent("version: 0.2\nphases:\n  build:\n    commands:\n      - echo x\n", {
      outputs: [{ name: "primary" }],
    });
    expect(contextOf(run, "UPLOAD_ARTIFACTS")?.message).toBe(
      "no definition for primary artifacts in buildspec",
    );
  });
});

describe("reports", () => {
  it("reads JUnit files into test cases, also after a failed BUILD", async () => {
    const junit = [
      '<?xml version="1.0"?>',
      '<testsuites><testsuite name="api" tests="3">',
      '<testcase classname="api.users" name="creates a user" time="0.25"/>',
      '<testcase classname="api.users" name="rejects a duplicate" time="0.5"><failure message="expected 409">stack</failure></testcase>',
      '<testcase classname="api.users" name="later" time="0"><skipped/></testcase>',
      "</testsuite></testsuites>",
    ].join("\n");
    const run = await runAgent(
      [
        "version: 0.2",
        "phases:",
        "  build:",
        "    commands:",
        "      - mkdir -p build/test-results && cp junit.xml build/test-results/TEST-api.xml",
        "      - exit 1",
        "reports:",
        "  unit:",
        "    base-directory: build/test-results",
        "    files:",
        "      - 'TEST-*.xml'",
        "    file-format: junitxml",
      ].join("\n"),
      { files: { "junit.xml": junit } },
    );
    expect(run.result.buildStatus).toBe("FAILED");
    const [report] = run.result.reports;
    expect(report?.group).toBe("unit");
    expect(report?.status).toBe("FAILED");
    expect(report?.summary).toEqual({
      total: 3,
      statusCounts: { SUCCEEDED: 1, FAILED: 1, SKIPPED: 1 },
      durationInNanoSeconds: 750_000_000,
    });
    const failed = report?.cases.find((c) => c.status === "FAILED");
    expect(failed).toMatchObject({ prefix: "api.users", name: "rejects a duplicate", testSuiteName: "api" });
    expect(failed?.message).toContain("expected 409");
  });
});

describe("cache", () => {
  it("keeps cache paths from one build of a project to the next", async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), "pw-agent-cache-"));
    const buildspec = [
      "version: 0.2",
      "phases:",
      "  install:",
      "    commands:",
      "      - if [ -f deps/lib.txt ]; then echo cache-hit $(cat deps/lib.txt); else mkdir -p deps && echo v1 > deps/lib.txt && echo cache-miss; fi",
      "cache:",
      "  paths:",
      "    - 'deps/**/*'",
    ].join("\n");
    const first = await runAgent(buildspec, { cacheDir });
    expect(first.output).toEqual(["cache-miss"]);
    const second = await runAgent(buildspec, { cacheDir });
    expect(second.output).toEqual(["cache-hit v1"]);
    const other = await runAgent(buildspec, { cacheDir: await mkdtemp(join(tmpdir(), "pw-agent-cache-")) });
    expect(other.output).toEqual(["cache-miss"]);
  });
});

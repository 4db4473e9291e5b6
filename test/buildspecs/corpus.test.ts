import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { formatBuildspecIssue, parseBuildspec } from "../../src/buildspec/parse-buildspec.js";
import type { Buildspec } from "../../src/buildspec/types.js";

// Realistic buildspecs (valid/) and deliberately broken ones (broken/, with expected.json
// naming the line and a message fragment of each file's first error).
const here = dirname(fileURLToPath(import.meta.url));
const validDir = join(here, "valid");
const brokenDir = join(here, "broken");
const ymlFiles = (dir: string) =>
  readdirSync(dir)
    .filter((name) => name.endsWith(".yml"))
    .sort();

function parseValid(name: string): Buildspec {
  const result = parseBuildspec(readFileSync(join(validDir, name), "utf8"));
  if (!result.ok) throw new Error(result.error.map((issue) => formatBuildspecIssue(name, issue)).join("\n"));
  expect(result.value.warnings.map((issue) => formatBuildspecIssue(name, issue))).toEqual([]);
  return result.value.buildspec;
}

/** A few facts per file that a careless parser would get wrong. */
const facts: Record<string, (buildspec: Buildspec) => void> = {
  "docker-ecr-imagedefinitions.yml": (b) => {
    expect(b.phases.post_build?.commands.at(-1)).toBe(
      `printf '[{"name":"web","imageUri":"%s"}]' $REPOSITORY_URI:$IMAGE_TAG > imagedefinitions.json`,
    );
    expect(b.artifacts?.files).toEqual(["imagedefinitions.json"]);
  },
  "ecs-blue-green-imagedetail.yml": (b) => {
    expect(b.phases.post_build?.commands[0]).toBe(
      `printf '{"ImageURI":"%s"}' "$REPOSITORY_URI:$IMAGE_TAG" > imageDetail.json`,
    );
  },
  "python-pytest-310.yml": (b) => {
    expect(b.phases.install?.runtimeVersions).toEqual([{ name: "python", value: "3.10" }]);
    expect(b.reports.map((report) => report.fileFormat)).toEqual(["JUNITXML", "COBERTURAXML"]);
  },
  "java-maven.yml": (b) => {
    expect(b.cache?.paths).toEqual(["/root/.m2/**/*"]);
    expect(b.reports[0]).toMatchObject({
      baseDirectory: "target/surefire-reports",
      files: ["**/TEST-*.xml"],
    });
  },
  "go-service.yml": (b) => {
    expect(b.env.variables).toEqual([
      { name: "CGO_ENABLED", value: "0" },
      { name: "GOFLAGS", value: "-mod=readonly" },
    ]);
  },
  "legacy-v01.yml": (b) => {
    expect(b.version).toBe("0.1");
    expect(b.env.variables.map((variable) => variable.name)).toEqual(["JAVA_HOME", "MAVEN_OPTS"]);
  },
  "secrets-and-parameters.yml": (b) => {
    const secrets = Object.fromEntries(b.env.secretsManager.map((secret) => [secret.name, secret.reference]));
    expect(secrets.PREVIOUS_DB_PASSWORD).toEqual({
      secretId: "orders/prod/db",
      jsonKey: "password",
      versionStage: "AWSPREVIOUS",
    });
    expect(secrets.SONAR_TOKEN).toEqual({
      secretId: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:shared/sonar-token-Q1w2E3",
      jsonKey: "token",
    });
    expect(secrets.DEPLOY_KEY).toEqual({
      secretId: "deploy/ssh-key",
      jsonKey: "private_key",
      versionId: "3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
    });
  },
  "monorepo-secondary-artifacts.yml": (b) => {
    expect(b.artifacts?.secondary.map((artifact) => artifact.identifier)).toEqual(["ApiBuild", "WebBuild"]);
    expect(b.artifacts?.secondary[1]?.spec.excludePaths).toEqual(["**/*.map"]);
  },
  "exported-variables-release.yml": (b) => {
    expect(b.env.exportedVariables).toEqual(["RELEASE_VERSION", "IMAGE_TAG", "CHANGELOG_URL"]);
  },
  "multiline-commands.yml": (b) => {
    const [loop, deploy, notes] = b.phases.build?.commands ?? [];
    expect(loop?.split("\n")).toEqual([
      "set -euo pipefail",
      "for service in api worker scheduler; do",
      '  docker build -t "$service:$CODEBUILD_BUILD_NUMBER" "services/$service"',
      "done",
      "",
    ]);
    expect(deploy).toBe(
      "aws cloudformation deploy --stack-name shop-staging --template-file stack.yaml --capabilities CAPABILITY_NAMED_IAM --no-fail-on-empty-changeset\n",
    );
    expect(notes?.endsWith("NOTES")).toBe(true);
  },
  "on-failure-modes.yml": (b) => {
    expect([b.phases.install, b.phases.pre_build, b.phases.build].map((phase) => phase?.onFailure)).toEqual([
      { kind: "RETRY", count: 2 },
      { kind: "CONTINUE" },
      { kind: "ABORT" },
    ]);
  },
  "retry-regex-flaky-network.yml": (b) => {
    expect(b.phases.install?.onFailure).toEqual({
      kind: "RETRY",
      count: 3,
      pattern: "Could not resolve host|Connection timed out",
    });
    expect(b.phases.build?.onFailure).toEqual({ kind: "RETRY", count: 3, pattern: "ETIMEDOUT" });
  },
  "artifacts-paths-options.yml": (b) => {
    expect(b.artifacts).toMatchObject({ discardPaths: false, enableSymlinks: true, s3Prefix: "releases" });
  },
  "cache-keys.yml": (b) => {
    expect(b.cache).toMatchObject({ fallbackKeys: ["npm-"], action: "restore" });
  },
  "cdk-eks-null-commands.yml": (b) => {
    expect(b.phases.install?.commands).toEqual([]);
  },
  "run-as.yml": (b) => {
    expect([b.runAs, b.phases.install?.runAs, b.phases.build?.runAs]).toEqual(["builder", "root", undefined]);
  },
  "eks-helm-deploy.yml": (b) => {
    expect(b.env.gitCredentialHelper).toBe(true);
  },
  "finally-cleanup.yml": (b) => {
    expect(b.phases.build?.finally).toHaveLength(2);
  },
};

describe("valid buildspec corpus", () => {
  const names = ymlFiles(validDir);

  it("holds enough files to be worth having", () => {
    expect(names.length).toBeGreaterThanOrEqual(28);
    expect(Object.keys(facts).filter((name) => !names.includes(name))).toEqual([]);
  });

  it.each(names)("%s parses without errors or warnings and declares phases", (name) => {
    const buildspec = parseValid(name);
    expect(Object.keys(buildspec.phases).length).toBeGreaterThan(0);
    facts[name]?.(buildspec);
  });
});

describe("broken buildspec corpus", () => {
  const expected: Record<string, { line: number; message: string }> = JSON.parse(
    readFileSync(join(brokenDir, "expected.json"), "utf8"),
  );
  const names = ymlFiles(brokenDir);

  it("has an expectation for every file and a file for every expectation", () => {
    expect(names.length).toBeGreaterThanOrEqual(12);
    expect(Object.keys(expected).sort()).toEqual(names);
  });

  it.each(names)("%s is rejected at the expected line", (name) => {
    const result = parseBuildspec(readFileSync(join(brokenDir, name), "utf8"));
    expect(result.ok).toBe(false);
    const first = result.ok ? undefined : result.error[0];
    expect(first?.line).toBe(expected[name]?.line);
    expect(first?.message).toContain(expected[name]?.message);
  });
});

import { afterAll, describe, expect, it } from "vitest";
import { cleanupRuns, contextOf, fixedSecrets, runAgent } from "../support/agent-harness.js";

// Conformance with spec/buildspec.md §3.1, §5 and §7: variables, their precedence, the built-in
// variables, secrets and masking, exported variables.

afterAll(cleanupRuns);

const printVars = (names: string[]) =>
  [
    "version: 0.2",
    "phases:",
    "  build:",
    "    commands:",
    ...names.map((n) => `      - echo "${n}=\${${n}-unset}"`),
  ].join("\n");

describe("environment variables", () => {
  it("applies precedence: StartBuild overrides > project > buildspec, values taken literally", async () => {
    const run = await runAgent(
      [
        "version: 0.2",
        "env:",
        "  variables:",
        "    A: from-buildspec",
        "    B: from-buildspec",
        "    C: from-buildspec",
        '    LITERAL: "$HOME:/x"',
        "    NUMBER: 3.10",
        "phases:",
        "  build:",
        "    commands:",
        '      - echo "$A $B $C $LITERAL $NUMBER"',
      ].join("\n"),
      {
        project: [
          { name: "B", value: "from-project", type: "PLAINTEXT" },
          { name: "C", value: "from-project", type: "PLAINTEXT" },
        ],
        override: [{ name: "C", value: "from-override", type: "PLAINTEXT" }],
      },
    );
    expect(run.output).toEqual(["from-buildspec from-project from-override $HOME:/x 3.10"]);
  });

  it("sets every built-in variable with CodeBuild's values; the build cannot override them", async () => {
    const names = [
      "AWS_REGION",
      "AWS_DEFAULT_REGION",
      "CODEBUILD_BUILD_ARN",
      "CODEBUILD_BUILD_ID",
      "CODEBUILD_BUILD_IMAGE",
      "CODEBUILD_BUILD_NUMBER",
      "CODEBUILD_BUILD_SUCCEEDING",
      "CODEBUILD_INITIATOR",
      "CODEBUILD_LOG_PATH",
      "CODEBUILD_RESOLVED_SOURCE_VERSION",
      "CODEBUILD_SOURCE_REPO_URL",
      "CODEBUILD_SOURCE_VERSION",
      "CODEBUILD_START_TIME",
      "CODEBUILD_CI",
      "CODEBUILD_BUILD_URL",
      "CODEBUILD_LAST_EXIT",
      "CODEBUILD_SRC_DIR_extra",
      "CODEBUILD_WEBHOOK_TRIGGER",
      "CODEBUILD_BATCH_BUILD_IDENTIFIER",
    ];
    const script = `${printVars(["CODEBUILD_SRC_DIR", ...names])}\n      - 'false'\n    finally:\n      - echo "LAST=$CODEBUILD_LAST_EXIT"`;
    const run = await runAgent(script, {
      override: [{ name: "CODEBUILD_BUILD_ID", value: "forged", type: "PLAINTEXT" }],
      secondary: { extra: { "x.txt": "x" } },
      source: {
        resolvedSourceVersion: "4c1e1f0e4b2b8d0f1c2a3b4c5d6e7f8091a2b3c4",
        sourceVersion: "arn:aws:s3:::artifacts/release/Source/abc.zip",
        sourceRepoUrl: "",
      },
    });
    const got = Object.fromEntries(run.output.map((l) => l.split(/=(.*)/s).slice(0, 2) as [string, string]));
    const src = got.CODEBUILD_SRC_DIR ?? "";
    expect(src).toBe(run.sourceDir);
    expect(got).toMatchObject({
      AWS_REGION: "eu-west-1",
      AWS_DEFAULT_REGION: "eu-west-1",
      CODEBUILD_BUILD_ARN:
        "arn:aws:codebuild:eu-west-1:111122223333:build/demo:0b6f4e2a-1111-2222-3333-444455556666",
      CODEBUILD_BUILD_ID: "demo:0b6f4e2a-1111-2222-3333-444455556666",
      CODEBUILD_BUILD_IMAGE: "aws/codebuild/standard:7.0",
      CODEBUILD_BUILD_NUMBER: "7",
      CODEBUILD_BUILD_SUCCEEDING: "1",
      CODEBUILD_INITIATOR: "codepipeline/release",
      CODEBUILD_LOG_PATH: "0b6f4e2a-1111-2222-3333-444455556666",
      CODEBUILD_RESOLVED_SOURCE_VERSION: "4c1e1f0e4b2b8d0f1c2a3b4c5d6e7f8091a2b3c4",
      CODEBUILD_SOURCE_REPO_URL: "",
      CODEBUILD_SOURCE_VERSION: "arn:aws:s3:::artifacts/release/Source/abc.zip",
      CODEBUILD_START_TIME: String(Date.UTC(2026, 10, 23, 12, 0, 0)),
      CODEBUILD_CI: "true",
      CODEBUILD_BUILD_URL: "http://127.0.0.1:4577/_pipewright/builds/demo:0b6f4e2a",
      CODEBUILD_LAST_EXIT: "0",
      CODEBUILD_SRC_DIR_extra: src.replace(/\/src$/, "/src_extra"),
      CODEBUILD_WEBHOOK_TRIGGER: "unset",
      CODEBUILD_BATCH_BUILD_IDENTIFIER: "unset",
      LAST: "1",
    });
  });

  it("leaves CODEBUILD_RESOLVED_SOURCE_VERSION unset when the source has no revision", async () => {
    const run = await runAgent(printVars(["CODEBUILD_RESOLVED_SOURCE_VERSION"]));
    expect(run.output).toEqual(["CODEBUILD_RESOLVED_SOURCE_VERSION=unset"]);
  });

  it("reads parameter-store and secrets-manager values and masks them everywhere, echoed commands included", async () => {
    const run = await runAgent(
      [
        "version: 0.2",
        "env:",
        "  parameter-store:",
        "    DB_PASSWORD: /app/db/password",
        "  secrets-manager:",
        "    API_KEY: prod/api:key",
        "    WHOLE: prod/api",
        "phases:",
        "  build:",
        "    commands:",
        '      - echo "password is $DB_PASSWORD"',
        "      - echo hunter2-secret-value",
        '      - echo "$API_KEY" | rev',
        '      - echo "$WHOLE"',
      ].join("\n"),
      {
        secrets: fixedSecrets(
          { "/app/db/password": "hunter2-secret-value" },
          { "prod/api": JSON.stringify({ key: "sk_live_12345" }) },
        ),
        project: [{ name: "TOKEN", value: "/app/token", type: "PARAMETER_STORE" }],
      },
    );
    // The project's PARAMETER_STORE variable is missing from the store: DOWNLOAD_SOURCE fails.
    expect(contextOf(run, "DOWNLOAD_SOURCE")).toEqual({
      statusCode: "Decrypted Variables Error",
      message: "Parameter does not exist: /app/token",
    });

    const ok = await runAgent(
      [
        "version: 0.2",
        "env:",
        "  parameter-store:",
        "    DB_PASSWORD: /app/db/password",
        "  secrets-manager:",
        "    API_KEY: prod/api:key",
        "    WHOLE: prod/api",
        "phases:",
        "  build:",
        "    commands:",
        '      - echo "password is $DB_PASSWORD"',
        "      - echo hunter2-secret-value",
        '      - echo "$API_KEY" | rev',
        '      - echo "$WHOLE"',
      ].join("\n"),
      {
        secrets: fixedSecrets(
          { "/app/db/password": "hunter2-secret-value" },
          { "prod/api": JSON.stringify({ key: "sk_live_12345" }) },
        ),
      },
    );
    // WHOLE is the whole SecretString: a secret value itself, so masked whole.
    expect(ok.output).toEqual(["password is ***", "***", "54321_evil_ks", "***"]);
    expect(ok.agent).toContain("Running command echo ***");
    expect(ok.log.join("\n")).not.toContain("hunter2-secret-value");
    expect(ok.log.join("\n")).not.toContain("sk_live_12345");
  });

  it("keeps ordinary words when a secret or an AWS key variable is a short word such as 'test'", async () => {
    // Issue 14 item 6: `pipewright build -c` with AWS_ACCESS_KEY_ID=test (a placeholder) and a
    // Parameter Store value `test` once turned every "test" in the log into `***`.
    const run = await runAgent(
      [
        "version: 0.2",
        "env:",
        "  parameter-store:",
        "    DB_PASSWORD: /app/db/password",
        "phases:",
        "  build:",
        "    commands:",
        '      - echo "Running unit tests"',
        "      - echo ./run-tests.sh",
        '      - echo "password is $DB_PASSWORD"',
        '      - echo "key $AWS_ACCESS_KEY_ID and $AWS_SECRET_ACCESS_KEY"',
        '      - echo "token $AWS_SESSION_TOKEN"',
      ].join("\n"),
      {
        secrets: fixedSecrets({ "/app/db/password": "test" }, {}),
        project: [
          { name: "AWS_ACCESS_KEY_ID", value: "test", type: "PLAINTEXT" },
          { name: "AWS_SECRET_ACCESS_KEY", value: "test", type: "PLAINTEXT" },
          { name: "AWS_SESSION_TOKEN", value: "FwoGZXIvYXdzEXAMPLEtoken0123456789", type: "PLAINTEXT" },
        ],
      },
    );
    expect(run.output).toEqual([
      "Running unit tests",
      "./run-tests.sh",
      "password is ***",
      // The Parameter Store value is `test`, a word of its own here; the AWS key variables
      // alone (`test`, not key-like) would not be masked.
      "key *** and ***",
      // A key-like AWS variable is masked even though it is plain text.
      "token ***",
    ]);
    expect(run.agent).toContain("Running command echo ./run-tests.sh");
    expect(run.log.join("\n")).not.toContain("FwoGZXIvYXdzEXAMPLEtoken0123456789");
  });

  it("fails DOWNLOAD_SOURCE with Secrets Manager's error when a secret is missing", async () => {
    const run = await runAgent(
      "version: 0.2\nenv:\n  secrets-manager:\n    X: missing/secret\nphases:\n  build:\n    commands:\n      - echo never\n",
      { secrets: fixedSecrets({}) },
    );
    expect(contextOf(run, "DOWNLOAD_SOURCE")).toEqual({
      statusCode: "Secrets Manager Error",
      message: "ResourceNotFoundException: Secrets Manager can't find the specified secret.",
    });
    expect(run.output).toEqual([]);
  });

  it("exports the final values of exported-variables, set in any phase, masked", async () => {
    const run = await runAgent(
      [
        "version: 0.2",
        "env:",
        "  parameter-store:",
        "    TOKEN: /t",
        "  exported-variables:",
        "    - IMAGE_TAG",
        "    - CHANGED",
        "    - NEVER_SET",
        "    - LEAKED",
        "phases:",
        "  install:",
        "    commands:",
        "      - CHANGED=first",
        "  build:",
        "    commands:",
        "      - IMAGE_TAG=1.4.$CODEBUILD_BUILD_NUMBER",
        "  post_build:",
        "    commands:",
        "      - export CHANGED=last",
        "      - LEAKED=token-$TOKEN",
      ].join("\n"),
      { secrets: fixedSecrets({ "/t": "s3cr3t-token" }) },
    );
    expect(run.result.exportedVariables).toEqual([
      { name: "IMAGE_TAG", value: "1.4.7" },
      { name: "CHANGED", value: "last" },
      { name: "NEVER_SET", value: "" },
      { name: "LEAKED", value: "token-***" },
    ]);
  });
});

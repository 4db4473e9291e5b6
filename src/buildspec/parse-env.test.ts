import { describe, expect, it } from "vitest";
import { onlyError, parsed, withBuild, yaml } from "./testing/parse-helpers.js";

describe("parseBuildspec: env", () => {
  it("reads every env key", () => {
    const { buildspec, warnings } = parsed(
      withBuild(
        "env:",
        "  shell: bash",
        "  parameter-store:",
        "    DB_HOST: /app/db/host",
        "  secrets-manager:",
        "    DB_PASSWORD: prod/db:password",
        "  exported-variables:",
        "    - IMAGE_TAG",
        "  git-credential-helper: yes",
      ),
    );
    expect(warnings).toEqual([]);
    expect(buildspec.env).toEqual({
      shell: "bash",
      variables: [],
      parameterStore: [{ name: "DB_HOST", value: "/app/db/host" }],
      secretsManager: [{ name: "DB_PASSWORD", reference: { secretId: "prod/db", jsonKey: "password" } }],
      exportedVariables: ["IMAGE_TAG"],
      gitCredentialHelper: true,
    });
  });

  it("gives a file without env empty defaults", () => {
    expect(parsed(withBuild()).buildspec.env).toEqual({
      variables: [],
      parameterStore: [],
      secretsManager: [],
      exportedVariables: [],
      gitCredentialHelper: false,
    });
  });

  it("rejects nested variable values", () => {
    expect(onlyError(withBuild("env:", "  variables:", "    OPTS:", "      - a"))).toBe(
      "9:7 env.variables.OPTS: env.variables.OPTS must be a single value, found a list",
    );
  });

  it("rejects invalid variable names", () => {
    expect(onlyError(withBuild("env:", "  parameter-store:", "    db-host: /app/db"))).toBe(
      '8:5 env.parameter-store.db-host: "db-host" in env.parameter-store is not a valid environment variable name; use letters, digits and underscores, not starting with a digit',
    );
  });

  it("warns about names CodeBuild reserves", () => {
    const { warnings } = parsed(withBuild("env:", "  variables:", "    CODEBUILD_CACHE: x"));
    expect(warnings.map((w) => `${w.line}:${w.column} ${w.path}`)).toEqual([
      "8:5 env.variables.CODEBUILD_CACHE",
    ]);
    expect(warnings[0]!.message).toContain("CODEBUILD_, a prefix CodeBuild reserves");
  });

  it("rejects exporting AWS_ variables", () => {
    expect(onlyError(withBuild("env:", "  exported-variables:", "    - AWS_REGION"))).toBe(
      "8:7 env.exported-variables[0]: AWS_REGION cannot be exported: CodeBuild does not export variables whose names start with AWS_; copy the value into another variable and export that",
    );
  });

  it("rejects a secret reference with a version stage and a version id", () => {
    expect(
      onlyError(withBuild("env:", "  secrets-manager:", "    TOKEN: ci/token:value:AWSCURRENT:0a1b")),
    ).toBe(
      '8:12 env.secrets-manager.TOKEN: env.secrets-manager.TOKEN: "ci/token:value:AWSCURRENT:0a1b" names both a version stage (AWSCURRENT) and a version id; give version-stage or version-id, not both',
    );
  });

  it("requires a parameter name", () => {
    expect(onlyError(withBuild("env:", "  parameter-store:", "    DB_HOST:"))).toBe(
      "8:5 env.parameter-store.DB_HOST: env.parameter-store.DB_HOST has no value; give it one, e.g. DB_HOST: /my-app/db-host",
    );
  });

  it("rejects unknown env keys", () => {
    expect(onlyError(withBuild("env:", "  varibles:", "    A: b"))).toBe(
      '7:3 env.varibles: unknown key "varibles" in env (valid keys are shell, variables, parameter-store, secrets-manager, exported-variables, git-credential-helper); did you mean "variables"?',
    );
  });

  it("maps version 0.1's environment_variables to variables", () => {
    const { buildspec, warnings } = parsed(
      yaml(
        "version: 0.1",
        "environment_variables:",
        "  plaintext:",
        "    JAVA_HOME: /usr/lib/jvm",
        "phases:",
        "  build:",
        "    commands: [mvn package]",
      ),
    );
    expect(warnings).toEqual([]);
    expect(buildspec.env.variables).toEqual([{ name: "JAVA_HOME", value: "/usr/lib/jvm" }]);
  });

  it("accepts environment_variables in a 0.2 file and env in a 0.1 file, with warnings", () => {
    const legacy = parsed(withBuild("environment_variables:", "  plaintext:", "    A: one"));
    expect(legacy.buildspec.env.variables).toEqual([{ name: "A", value: "one" }]);
    expect(legacy.warnings[0]!.message).toContain("environment_variables is the version 0.1 name");
    const early = parsed(withBuild("env:", "  variables:", "    A: one").replace("0.2", "0.1"));
    expect(early.buildspec.env.variables).toEqual([{ name: "A", value: "one" }]);
    expect(early.warnings[0]!.message).toBe(
      "env is a version 0.2 key; it is read, but set version: 0.2 to match",
    );
  });
});

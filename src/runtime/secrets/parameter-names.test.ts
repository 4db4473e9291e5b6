import { describe, expect, it } from "vitest";
import { parameterArn, parameterNameProblem, parseParameterSelector } from "./parameter-names.js";

describe("parameter names", () => {
  it("accepts AWS's characters, plain names and paths of up to 15 levels", () => {
    for (const name of [
      "db_password",
      "a.b-c_d",
      "/app/prod/db",
      "/a",
      "/app/aws",
      "my-ssm",
      `/${"x/".repeat(14)}x`,
    ]) {
      expect(parameterNameProblem(name), name).toBeUndefined();
    }
  });

  it("answers each broken rule with AWS's exception and words", () => {
    expect(parameterNameProblem("has space")).toEqual({
      type: "ValidationException",
      message: expect.stringContaining(
        "each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_",
      ),
    });
    expect(parameterNameProblem("app/db")).toEqual({
      type: "ValidationException",
      message: "Parameter name must be a fully qualified name.",
    });
    expect(parameterNameProblem("/app//db")?.type).toBe("ValidationException");
    expect(parameterNameProblem("SSMthing")?.message).toBe(
      'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).',
    );
    expect(parameterNameProblem("awsKey")?.message).toContain('can\'t be prefixed with "aws" or "ssm"');
    expect(parameterNameProblem("/AWS/service/x")?.message).toBe(
      "No access to reserved parameter name: /AWS/service/x.",
    );
    expect(parameterNameProblem("/ssm/x")?.message).toContain('can\'t be prefixed with "ssm"');
    expect(parameterNameProblem("/app/ssm/x")).toBeUndefined();
    expect(parameterNameProblem(`/${Array.from({ length: 16 }, (_, i) => `l${i}`).join("/")}`)).toEqual({
      type: "HierarchyLevelLimitExceededException",
      message: expect.stringContaining("maximum of 15 levels"),
    });
  });

  it("splits a version selector off a name", () => {
    expect(parseParameterSelector("/app/db")).toEqual({ name: "/app/db" });
    expect(parseParameterSelector("/app/db:3")).toEqual({ name: "/app/db", selector: "3", version: 3 });
    expect(parseParameterSelector("/app/db:prod")).toEqual({ name: "/app/db", selector: "prod" });
  });

  it("builds ARNs without a double slash", () => {
    const scope = { accountId: "123456789012", region: "eu-west-1" };
    expect(parameterArn(scope, "/app/db")).toBe("arn:aws:ssm:eu-west-1:123456789012:parameter/app/db");
    expect(parameterArn(scope, "plain")).toBe("arn:aws:ssm:eu-west-1:123456789012:parameter/plain");
  });
});

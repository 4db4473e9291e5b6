import { describe, expect, it } from "vitest";
import { MAX_ZIP_BYTES, parseCode, parseConfiguration } from "./function-input.js";
import { resolveFunctionName } from "./function-names.js";

const scope = { accountId: "123456789012", region: "us-east-1" };
const problem = (r: { ok: boolean; error?: { type: string; message: string } }) =>
  r.ok ? undefined : `${r.error!.type}: ${r.error!.message}`;

describe("function configuration checks", () => {
  it.each([
    [
      { Timeout: 0 },
      /ValidationException: .*'timeout' failed to satisfy constraint: Member must have value greater than or equal to 1/u,
    ],
    [{ Timeout: 1.5 }, /InvalidParameterValueException: Timeout must be a whole number/u],
    [
      { MemorySize: 64 },
      /'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128/u,
    ],
    [{ Role: "not-a-role" }, /'role' failed to satisfy constraint/u],
    [{ Handler: "index handler" }, /'handler' failed to satisfy constraint/u],
    [{ Environment: { Variables: { "1X": "a" } } }, /'environment.variables' failed to satisfy constraint/u],
    [{ Environment: { Variables: { A1: 3 } } }, /Environment.Variables.A1 must be a string/u],
    [
      { Environment: { Variables: { AWS_SESSION_TOKEN: "x", LAMBDA_TASK_ROOT: "y" } } },
      /Reserved keys used in this request: AWS_SESSION_TOKEN,LAMBDA_TASK_ROOT/u,
    ],
    [
      { Environment: { Variables: { BIG: "x".repeat(5000) } } },
      /exceeded the 4KB limit. String measured: 50\d\d bytes/u,
    ],
    [{ Runtime: 12 }, /Runtime must be a string/u],
  ])("refuses %j", (body, expected) => {
    expect(problem(parseConfiguration(body))).toMatch(expected);
  });

  it("reads every member it knows", () => {
    expect(
      parseConfiguration({
        Runtime: "nodejs20.x",
        Handler: "src/app.handler",
        Role: "arn:aws:iam::123456789012:role/service-role/fn",
        Description: "d",
        Timeout: 900,
        MemorySize: 10240,
        Environment: { Variables: { STAGE: "prod" } },
      }),
    ).toEqual({
      ok: true,
      value: {
        runtime: "nodejs20.x",
        handler: "src/app.handler",
        role: "arn:aws:iam::123456789012:role/service-role/fn",
        description: "d",
        timeout: 900,
        memorySize: 10240,
        environment: { STAGE: "prod" },
      },
    });
  });
});

describe("function code checks", () => {
  it("takes exactly one source of code", () => {
    expect(parseCode({ ZipFile: Buffer.from("zip").toString("base64") })).toMatchObject({ ok: true });
    expect(parseCode({ S3Bucket: "b", S3Key: "k", S3ObjectVersion: "v" })).toEqual({
      ok: true,
      value: { s3: { bucket: "b", key: "k", versionId: "v" } },
    });
    expect(problem(parseCode({ ZipFile: "eg==", S3Bucket: "b" }))).toMatch(
      /do not provide other FunctionCode parameters/u,
    );
    expect(problem(parseCode({ S3Bucket: "b" }))).toMatch(/S3Bucket and S3Key must both be given/u);
    expect(problem(parseCode({ ImageUri: "x" }))).toMatch(/container images .* are not supported/u);
    expect(problem(parseCode({ ZipFile: "not base64!" }))).toMatch(
      /ZipFile must be the zip's bytes in base64/u,
    );
    expect(problem(parseCode({}))).toMatch(/Code needs ZipFile/u);
    expect(problem(parseCode(undefined))).toMatch(/Code must be an object/u);
  });

  it("refuses a zip over Lambda's 50 MB upload limit", () => {
    const zip = Buffer.alloc(MAX_ZIP_BYTES + 1).toString("base64");
    expect(problem(parseCode({ ZipFile: zip }))).toMatch(
      /^RequestEntityTooLargeException: Zipped code must be smaller than 52428800 bytes/u,
    );
  });
});

describe("function names", () => {
  it.each([
    ["fn", "fn"],
    ["123456789012:function:fn", "fn"],
    ["arn:aws:lambda:us-east-1:123456789012:function:fn", "fn"],
    ["arn:aws:lambda:us-east-1:123456789012:function:fn:$LATEST", "fn"],
  ])("resolves %s", (reference, name) => {
    expect(resolveFunctionName(scope, reference)).toEqual({ ok: true, value: name });
  });

  it.each([
    [
      "arn:aws:lambda:us-west-2:123456789012:function:fn",
      /ResourceNotFoundException: Function not found: arn:aws:lambda:us-east-1:123456789012:function:fn$/u,
    ],
    ["999999999999:function:fn", /ResourceNotFoundException/u],
    [
      "fn:3",
      /ResourceNotFoundException: Function not found: arn:aws:lambda:us-east-1:123456789012:function:fn:3$/u,
    ],
    ["bad name", /ValidationException: 1 validation error detected: Value 'bad name' at 'functionName'/u],
    ["x".repeat(65), /Function name '.*' must be 1 to 64 letters/u],
  ])("refuses %s", (reference, expected) => {
    expect(problem(resolveFunctionName(scope, reference))).toMatch(expected);
  });
});

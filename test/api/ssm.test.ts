import { describe, expect, it } from "vitest";
import { createTestWorld } from "../support/test-world.js";

/** Parameter Store through the assembled app, as a JSON 1.1 client sends it. */
function ssmWorld() {
  const world = createTestWorld();
  async function ssm(operation: string, input: unknown, region?: string) {
    const headers: Record<string, string> = {
      "x-amz-target": `AmazonSSM.${operation}`,
      "content-type": "application/x-amz-json-1.1",
    };
    if (region) headers["x-test-region"] = region;
    const response = await world.app(
      new Request("http://pipewright.test/", { method: "POST", headers, body: JSON.stringify(input) }),
    );
    // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response members.
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  }
  return { world, ssm };
}

describe("the SSM Parameter Store API", () => {
  it("puts a SecureString and reads it back decrypted only when asked", async () => {
    const { world, ssm } = ssmWorld();
    expect(await ssm("PutParameter", { Name: "/app/db", Value: "pw-123", Type: "SecureString" })).toEqual({
      status: 200,
      body: { Version: 1, Tier: "Standard" },
    });
    const plain = await ssm("GetParameter", { Name: "/app/db", WithDecryption: true });
    expect(plain.body.Parameter).toEqual({
      Name: "/app/db",
      Type: "SecureString",
      Value: "pw-123",
      Version: 1,
      LastModifiedDate: world.clock.now() / 1000,
      ARN: "arn:aws:ssm:us-east-1:123456789012:parameter/app/db",
      DataType: "text",
    });
    const opaque = (await ssm("GetParameter", { Name: "/app/db" })).body.Parameter.Value as string;
    expect(opaque).not.toContain("pw-123");
    expect(Buffer.from(opaque, "base64").toString("latin1")).not.toContain("pw-123");
    expect(opaque).toMatch(/^[A-Za-z0-9+/]{40,}=*$/u);
  });

  it("answers overwrite without Overwrite, missing names and versions with AWS's exceptions", async () => {
    const { ssm } = ssmWorld();
    await ssm("PutParameter", { Name: "p", Value: "one", Type: "String" });
    expect(await ssm("PutParameter", { Name: "p", Value: "two", Type: "String" })).toEqual({
      status: 400,
      body: {
        __type: "ParameterAlreadyExists",
        message:
          "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.",
      },
    });
    expect((await ssm("PutParameter", { Name: "p", Value: "two", Overwrite: true })).body).toEqual({
      Version: 2,
      Tier: "Standard",
    });
    const v1 = await ssm("GetParameter", { Name: "p:1" });
    expect(v1.body.Parameter).toMatchObject({ Name: "p", Value: "one", Version: 1, Selector: ":1" });
    expect((await ssm("GetParameter", { Name: "p:5" })).body.__type).toBe("ParameterVersionNotFound");
    expect((await ssm("GetParameter", { Name: "missing" })).body).toEqual({
      __type: "ParameterNotFound",
      message: "Parameter missing not found.",
    });
    expect((await ssm("GetParameter", { Name: "p" }, "eu-west-1")).body.__type).toBe("ParameterNotFound");
  });

  it("never quotes a value in a validation message", async () => {
    const { ssm } = ssmWorld();
    const answer = await ssm("PutParameter", {
      Name: "/x/y",
      Value: "sup3r-s3cret".repeat(400),
      Type: "String",
      Tier: "Standard",
    });
    expect(answer.body.__type).toBe("ValidationException");
    expect(JSON.stringify(answer.body)).not.toContain("sup3r-s3cret");
    const typed = await ssm("PutParameter", { Name: "/x/y", Value: "sup3r-s3cret", Type: "Secret" });
    expect(typed.body).toEqual({
      __type: "ValidationException",
      message:
        "1 validation error detected: Value 'Secret' at 'Type' failed to satisfy constraint: Member must satisfy enum value set: [String, StringList, SecureString]",
    });
    const names = await ssm("PutParameter", { Name: "ssm-thing", Value: "v", Type: "String" });
    expect(names.body.message).toBe(
      'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).',
    );
  });

  it("gets many, with InvalidParameters for the missing ones, and deletes", async () => {
    const { ssm } = ssmWorld();
    await ssm("PutParameter", { Name: "a", Value: "1", Type: "String" });
    await ssm("PutParameter", { Name: "b", Value: "x,y", Type: "StringList" });
    const many = await ssm("GetParameters", { Names: ["a", "nope", "b", "a:9"] });
    expect(many.body.Parameters.map((p: { Name: string; Value: string }) => `${p.Name}=${p.Value}`)).toEqual([
      "a=1",
      "b=x,y",
    ]);
    expect(many.body.InvalidParameters).toEqual(["nope", "a:9"]);
    expect((await ssm("DeleteParameter", { Name: "a" })).body).toEqual({});
    expect((await ssm("DeleteParameter", { Name: "a" })).body.__type).toBe("ParameterNotFound");
    expect((await ssm("DeleteParameters", { Names: ["b", "a"] })).body).toEqual({
      DeletedParameters: ["b"],
      InvalidParameters: ["a"],
    });
  });

  it("describes parameters page by page, with filters, and never their values", async () => {
    const { ssm } = ssmWorld();
    for (const name of ["/app/a", "/app/b", "/app/deep/c", "/other/d", "plain"]) {
      await ssm("PutParameter", {
        Name: name,
        Value: `value-of-${name}`,
        Type: name === "plain" ? "String" : "SecureString",
      });
    }
    const first = await ssm("DescribeParameters", { MaxResults: 2 });
    expect(first.body.Parameters.map((p: { Name: string }) => p.Name)).toEqual(["/app/a", "/app/b"]);
    expect(JSON.stringify(first.body)).not.toContain("value-of");
    expect(first.body.Parameters[0]).toMatchObject({
      Type: "SecureString",
      KeyId: "alias/aws/ssm",
      Version: 1,
      Tier: "Standard",
      LastModifiedUser: "arn:aws:iam::123456789012:user/test",
    });
    const second = await ssm("DescribeParameters", { MaxResults: 2, NextToken: first.body.NextToken });
    expect(second.body.Parameters.map((p: { Name: string }) => p.Name)).toEqual(["/app/deep/c", "/other/d"]);
    const byType = await ssm("DescribeParameters", {
      ParameterFilters: [{ Key: "Type", Values: ["String"] }],
    });
    expect(byType.body.Parameters.map((p: { Name: string }) => p.Name)).toEqual(["plain"]);
    const oneLevel = await ssm("DescribeParameters", {
      ParameterFilters: [{ Key: "Path", Values: ["/app"] }],
    });
    expect(oneLevel.body.Parameters.map((p: { Name: string }) => p.Name)).toEqual(["/app/a", "/app/b"]);
    expect((await ssm("DescribeParameters", { NextToken: "forged" })).body.__type).toBe("InvalidNextToken");
  });

  it("gets parameters by path, one level or recursively", async () => {
    const { ssm } = ssmWorld();
    for (const name of ["/app/a", "/app/b", "/app/deep/c", "/apple", "/other/d"]) {
      await ssm("PutParameter", { Name: name, Value: name.toUpperCase(), Type: "SecureString" });
    }
    const names = (body: Record<string, { Name: string; Value: string }[]>) =>
      body.Parameters!.map((p) => `${p.Name}=${p.Value}`);
    const one = await ssm("GetParametersByPath", { Path: "/app", WithDecryption: true });
    expect(names(one.body)).toEqual(["/app/a=/APP/A", "/app/b=/APP/B"]);
    const all = await ssm("GetParametersByPath", {
      Path: "/app/",
      Recursive: true,
      WithDecryption: true,
      MaxResults: 2,
    });
    expect(names(all.body)).toEqual(["/app/a=/APP/A", "/app/b=/APP/B"]);
    const rest = await ssm("GetParametersByPath", {
      Path: "/app/",
      Recursive: true,
      WithDecryption: true,
      NextToken: all.body.NextToken,
    });
    expect(names(rest.body)).toEqual(["/app/deep/c=/APP/DEEP/C"]);
    expect(rest.body.NextToken).toBeUndefined();
  });

  it("keeps every version in the history", async () => {
    const { ssm } = ssmWorld();
    await ssm("PutParameter", { Name: "h", Value: "one", Type: "String", Description: "d" });
    await ssm("PutParameter", { Name: "h", Value: "two", Overwrite: true });
    const history = await ssm("GetParameterHistory", { Name: "h" });
    expect(
      history.body.Parameters.map((p: { Version: number; Value: string }) => `${p.Version}:${p.Value}`),
    ).toEqual(["1:one", "2:two"]);
    expect(history.body.Parameters[1]).toMatchObject({ Description: "d", Labels: [] });
  });

  it("says which SSM operations Pipewright does not implement", async () => {
    const { ssm } = ssmWorld();
    expect((await ssm("SendCommand", {})).body.__type).toBe("UnsupportedOperationException");
  });
});

import { describe, expect, it } from "vitest";
import { parseValueFrom, resolveTaskSecrets } from "./task-secrets.js";

const SM = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf";

describe("parseValueFrom", () => {
  it.each([
    ["db-password", { kind: "ssm", name: "db-password" }],
    ["/prod/db/password", { kind: "ssm", name: "/prod/db/password" }],
    [
      "arn:aws:ssm:us-east-1:123456789012:parameter/prod/db/password",
      { kind: "ssm", name: "/prod/db/password" },
    ],
    ["arn:aws:ssm:us-east-1:123456789012:parameter/flat", { kind: "ssm", name: "flat" }],
    [SM, { kind: "secretsmanager", reference: { secretId: SM } }],
    [`${SM}:password::`, { kind: "secretsmanager", reference: { secretId: SM, jsonKey: "password" } }],
    [
      `${SM}::AWSPREVIOUS:`,
      { kind: "secretsmanager", reference: { secretId: SM, versionStage: "AWSPREVIOUS" } },
    ],
    [
      `${SM}:user::0a1b2c`,
      { kind: "secretsmanager", reference: { secretId: SM, jsonKey: "user", versionId: "0a1b2c" } },
    ],
  ])("reads %s", (valueFrom, expected) => {
    expect(parseValueFrom(valueFrom)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ["", /valueFrom is empty/],
    ["arn:aws:s3:::bucket/key", /neither an SSM parameter ARN .* nor a Secrets Manager secret ARN/],
    [`${SM}:k:AWSCURRENT:v1`, /both a version stage/],
  ])("refuses %j", (valueFrom, message) => {
    const parsed = parseValueFrom(valueFrom);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(message);
  });
});

describe("resolveTaskSecrets", () => {
  const resolver = {
    parameter: async (name: string) => {
      if (name === "/a") return "value-a";
      throw new Error(`Parameter does not exist: ${name}`);
    },
    secret: async () => "value-s",
  };

  it("gives each container its variables and lists every value for masking", async () => {
    const resolved = await resolveTaskSecrets(
      [
        { name: "one", image: "x", secrets: [{ name: "A", valueFrom: "/a" }] },
        { name: "two", image: "x", secrets: [{ name: "S", valueFrom: SM }] },
      ],
      resolver,
    );
    expect(resolved.ok && Object.fromEntries(resolved.value.environment)).toEqual({
      one: { A: "value-a" },
      two: { S: "value-s" },
    });
    expect(resolved.ok && resolved.value.values).toEqual(["value-a", "value-s"]);
  });

  it("fails with the agent's ResourceInitializationError for a missing parameter", async () => {
    const resolved = await resolveTaskSecrets(
      [{ name: "one", image: "x", secrets: [{ name: "B", valueFrom: "/b" }] }],
      resolver,
    );
    expect(resolved).toEqual({
      ok: false,
      error:
        "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 1 time(s): invalid parameters: /b (Parameter does not exist: /b)",
    });
  });
});

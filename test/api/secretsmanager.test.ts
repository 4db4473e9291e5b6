import { describe, expect, it } from "vitest";
import { createTestWorld } from "../support/test-world.js";

const token = (n: number) => `00000000-0000-4000-9000-${String(n).padStart(12, "0")}`;

/** Secrets Manager through the assembled app, as a JSON 1.1 client sends it. */
function secretsWorld() {
  const world = createTestWorld();
  async function sm(operation: string, input: unknown) {
    const response = await world.app(
      new Request("http://pipewright.test/", {
        method: "POST",
        headers: {
          "x-amz-target": `secretsmanager.${operation}`,
          "content-type": "application/x-amz-json-1.1",
        },
        body: JSON.stringify(input),
      }),
    );
    // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response members.
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  }
  return { world, sm };
}

describe("the Secrets Manager API", () => {
  it("creates a secret and reads it by name and by ARN", async () => {
    const { world, sm } = secretsWorld();
    const created = await sm("CreateSecret", {
      Name: "db",
      SecretString: "pw-1",
      ClientRequestToken: token(1),
    });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      ARN: expect.stringMatching(/^arn:aws:secretsmanager:us-east-1:123456789012:secret:db-[A-Za-z0-9]{6}$/u),
      Name: "db",
      VersionId: token(1),
    });
    const expected = {
      ARN: created.body.ARN,
      Name: "db",
      VersionId: token(1),
      SecretString: "pw-1",
      VersionStages: ["AWSCURRENT"],
      CreatedDate: world.clock.now() / 1000,
    };
    expect((await sm("GetSecretValue", { SecretId: "db" })).body).toEqual(expected);
    expect((await sm("GetSecretValue", { SecretId: created.body.ARN })).body).toEqual(expected);
  });

  it("moves AWSCURRENT on PutSecretValue and keeps the previous value as AWSPREVIOUS", async () => {
    const { sm } = secretsWorld();
    await sm("CreateSecret", { Name: "db", SecretString: "one", ClientRequestToken: token(1) });
    const put = await sm("PutSecretValue", {
      SecretId: "db",
      SecretString: "two",
      ClientRequestToken: token(2),
    });
    expect(put.body).toMatchObject({ Name: "db", VersionId: token(2), VersionStages: ["AWSCURRENT"] });
    expect((await sm("GetSecretValue", { SecretId: "db" })).body.SecretString).toBe("two");
    const previous = await sm("GetSecretValue", { SecretId: "db", VersionStage: "AWSPREVIOUS" });
    expect(previous.body).toMatchObject({
      SecretString: "one",
      VersionId: token(1),
      VersionStages: ["AWSPREVIOUS"],
    });
    const described = await sm("DescribeSecret", { SecretId: "db" });
    expect(described.body.VersionIdsToStages).toEqual({
      [token(1)]: ["AWSPREVIOUS"],
      [token(2)]: ["AWSCURRENT"],
    });
    expect(JSON.stringify(described.body)).not.toMatch(/"(one|two)"/u);
    const versions = await sm("ListSecretVersionIds", { SecretId: "db" });
    expect(versions.body.Versions.map((v: { VersionId: string }) => v.VersionId)).toEqual([
      token(1),
      token(2),
    ]);
  });

  it("answers AWS's exceptions for a taken name, a missing secret and a missing token", async () => {
    const { sm } = secretsWorld();
    await sm("CreateSecret", { Name: "db", SecretString: "v", ClientRequestToken: token(1) });
    expect(
      (await sm("CreateSecret", { Name: "db", SecretString: "v", ClientRequestToken: token(2) })).body,
    ).toEqual({
      __type: "ResourceExistsException",
      message: "The operation failed because the secret db already exists.",
    });
    expect(await sm("GetSecretValue", { SecretId: "nope" })).toEqual({
      status: 400,
      body: {
        __type: "ResourceNotFoundException",
        message: "Secrets Manager can't find the specified secret.",
      },
    });
    expect((await sm("PutSecretValue", { SecretId: "db", SecretString: "w" })).body).toEqual({
      __type: "InvalidRequestException",
      message: "You must provide a ClientRequestToken value. We recommend a UUID-type value.",
    });
  });

  it("never quotes a secret value in a validation message", async () => {
    const { sm } = secretsWorld();
    const answer = await sm("CreateSecret", {
      Name: "big",
      SecretString: "t0p-s3cret".repeat(7000),
      ClientRequestToken: token(1),
    });
    expect(answer.body).toEqual({
      __type: "ValidationException",
      message:
        "1 validation error detected: Value at 'SecretString' failed to satisfy constraint: Member must have length less than or equal to 65536",
    });
  });

  it("keeps binary secrets as base64 on the wire", async () => {
    const { sm } = secretsWorld();
    const bytes = Buffer.from([0, 1, 2, 250, 251]).toString("base64");
    await sm("CreateSecret", { Name: "bin", SecretBinary: bytes, ClientRequestToken: token(1) });
    const got = await sm("GetSecretValue", { SecretId: "bin" });
    expect(got.body.SecretBinary).toBe(bytes);
    expect(got.body.SecretString).toBeUndefined();
  });

  it("schedules deletion, refuses reads meanwhile, restores, and lists", async () => {
    const { world, sm } = secretsWorld();
    await sm("CreateSecret", { Name: "db", SecretString: "v", ClientRequestToken: token(1) });
    await sm("CreateSecret", { Name: "other", Description: "second", Tags: [{ Key: "team", Value: "a" }] });
    const deleted = await sm("DeleteSecret", { SecretId: "db", RecoveryWindowInDays: 7 });
    expect(deleted.body).toMatchObject({ Name: "db", DeletionDate: world.clock.now() / 1000 + 7 * 86_400 });
    expect((await sm("GetSecretValue", { SecretId: "db" })).body).toEqual({
      __type: "InvalidRequestException",
      message: "You can't perform this operation on the secret because it was marked for deletion.",
    });
    expect((await sm("DescribeSecret", { SecretId: "db" })).body.DeletedDate).toBe(deleted.body.DeletionDate);
    const listed = async (input: object) =>
      (await sm("ListSecrets", input)).body.SecretList.map((s: { Name: string }) => s.Name);
    expect(await listed({})).toEqual(["other"]);
    expect(await listed({ IncludePlannedDeletion: true })).toEqual(["db", "other"]);
    expect(await listed({ Filters: [{ Key: "tag-key", Values: ["TEAM"] }] })).toEqual(["other"]);
    expect(
      await listed({ Filters: [{ Key: "name", Values: ["!oth"] }], IncludePlannedDeletion: true }),
    ).toEqual(["db"]);
    expect((await sm("DeleteSecret", { SecretId: "db", RecoveryWindowInDays: 3 })).body.__type).toBe(
      "InvalidParameterException",
    );
    expect((await sm("RestoreSecret", { SecretId: "db" })).body).toMatchObject({ Name: "db" });
    expect((await sm("GetSecretValue", { SecretId: "db" })).body.SecretString).toBe("v");
    expect((await sm("DeleteSecret", { SecretId: "db", ForceDeleteWithoutRecovery: true })).status).toBe(200);
    expect((await sm("GetSecretValue", { SecretId: "db" })).body.__type).toBe("ResourceNotFoundException");
  });

  it("says which operations Pipewright does not implement", async () => {
    const { sm } = secretsWorld();
    expect((await sm("RotateSecret", { SecretId: "db" })).body.__type).toBe("UnsupportedOperationException");
  });
});

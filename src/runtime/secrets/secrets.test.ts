import { describe, expect, it } from "vitest";
import { createMemoryStores } from "../../store/memory/create-memory-stores.js";
import { createSecretCipher, newSecretsKey } from "./cipher.js";
import { createSecretService } from "./secrets.js";

const scope = { accountId: "123456789012", region: "us-east-1" };
const T = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;
const token = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbC123";

function setUp() {
  const stores = createMemoryStores();
  const secrets = createSecretService({
    store: stores.secrets,
    cipher: createSecretCipher(newSecretsKey()),
    arnSuffix: () => "AbC123",
  });
  return { stores, secrets };
}

async function value(secrets: ReturnType<typeof setUp>["secrets"], id: string, selector = {}, now = T) {
  const got = await secrets.getValue(scope, id, selector, now);
  return got.ok
    ? { string: got.value.secretString, id: got.value.version.versionId, stages: got.value.version.stages }
    : got.error;
}

describe("the secret service", () => {
  it("creates a secret whose first version is AWSCURRENT, stored sealed", async () => {
    const { stores, secrets } = setUp();
    const created = await secrets.create(
      scope,
      { name: "db", secretString: "pw-1", clientRequestToken: token(1) },
      T,
    );
    expect(created).toMatchObject({
      ok: true,
      value: { record: { arn: ARN, name: "db" }, versionId: token(1) },
    });
    const stored = await stores.secrets.getVersion(scope, "db", token(1));
    expect(stored?.sealedString).toBeDefined();
    expect(JSON.stringify(stored)).not.toContain("pw-1");
    expect(await value(secrets, "db")).toEqual({ string: "pw-1", id: token(1), stages: ["AWSCURRENT"] });
  });

  it("finds a secret by name, full ARN or partial ARN, in its own scope only", async () => {
    const { secrets } = setUp();
    await secrets.create(scope, { name: "db", secretString: "pw", clientRequestToken: token(1) }, T);
    expect(await value(secrets, ARN)).toMatchObject({ string: "pw" });
    expect(await value(secrets, "arn:aws:secretsmanager:us-east-1:123456789012:secret:db")).toMatchObject({
      string: "pw",
    });
    const notFound = {
      type: "ResourceNotFoundException",
      message: "Secrets Manager can't find the specified secret.",
    };
    expect(await value(secrets, "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-XyZ789")).toEqual(
      notFound,
    );
    expect(await value(secrets, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbC123")).toEqual(
      notFound,
    );
    expect(await value(secrets, "other")).toEqual(notFound);
  });

  it("moves AWSCURRENT to a put value and AWSPREVIOUS to the one before", async () => {
    const { secrets } = setUp();
    await secrets.create(scope, { name: "db", secretString: "one", clientRequestToken: token(1) }, T);
    const put = await secrets.putValue(
      scope,
      "db",
      { secretString: "two", clientRequestToken: token(2) },
      T + 1,
    );
    expect(put).toMatchObject({
      ok: true,
      value: { version: { versionId: token(2), stages: ["AWSCURRENT"] } },
    });
    expect(await value(secrets, "db")).toEqual({ string: "two", id: token(2), stages: ["AWSCURRENT"] });
    expect(await value(secrets, "db", { versionStage: "AWSPREVIOUS" })).toEqual({
      string: "one",
      id: token(1),
      stages: ["AWSPREVIOUS"],
    });
    expect(await value(secrets, "db", { versionId: token(1) })).toMatchObject({ string: "one" });
    expect(await value(secrets, "db", { versionId: token(1), versionStage: "AWSCURRENT" })).toEqual({
      type: "InvalidRequestException",
      message: "You provided a VersionStage that is not associated to the provided VersionId.",
    });
    expect(await value(secrets, "db", { versionStage: "AWSPENDING" })).toEqual({
      type: "ResourceNotFoundException",
      message: "Secrets Manager can't find the specified secret value for staging label: AWSPENDING",
    });
    expect(await value(secrets, "db", { versionId: token(9) })).toEqual({
      type: "ResourceNotFoundException",
      message: `Secrets Manager can't find the specified secret value for VersionId: ${token(9)}`,
    });
  });

  it("treats a retried token as the same request and a reused one with another value as an error", async () => {
    const { secrets } = setUp();
    const input = { name: "db", secretString: "one", clientRequestToken: token(1) };
    await secrets.create(scope, input, T);
    expect(await secrets.create(scope, input, T + 5)).toMatchObject({
      ok: true,
      value: { versionId: token(1) },
    });
    expect(await secrets.create(scope, { ...input, secretString: "other" }, T)).toEqual({
      ok: false,
      error: {
        type: "ResourceExistsException",
        message: "You can't modify an existing version, you can only create a new version.",
      },
    });
    expect(await secrets.create(scope, { ...input, clientRequestToken: token(2) }, T)).toEqual({
      ok: false,
      error: {
        type: "ResourceExistsException",
        message: "The operation failed because the secret db already exists.",
      },
    });
    const put = { secretString: "two", clientRequestToken: token(2) };
    await secrets.putValue(scope, "db", put, T);
    expect(await secrets.putValue(scope, "db", put, T)).toMatchObject({
      ok: true,
      value: { version: { versionId: token(2) } },
    });
    expect(await secrets.putValue(scope, "db", { ...put, secretString: "three" }, T)).toMatchObject({
      error: { type: "ResourceExistsException" },
    });
  });

  it("needs a ClientRequestToken with a value, and one kind of value", async () => {
    const { secrets } = setUp();
    expect(await secrets.create(scope, { name: "db", secretString: "v" }, T)).toEqual({
      ok: false,
      error: {
        type: "InvalidRequestException",
        message: "You must provide a ClientRequestToken value. We recommend a UUID-type value.",
      },
    });
    expect(
      await secrets.create(
        scope,
        { name: "db", secretString: "v", secretBinary: Buffer.from("b"), clientRequestToken: token(1) },
        T,
      ),
    ).toMatchObject({ error: { type: "InvalidParameterException" } });
    expect(await secrets.create(scope, { name: "bad name", clientRequestToken: token(1) }, T)).toMatchObject({
      error: { type: "InvalidParameterException", message: expect.stringContaining("Invalid name") },
    });
    // A secret without a value has no AWSCURRENT version yet.
    expect(await secrets.create(scope, { name: "empty" }, T)).toMatchObject({ ok: true });
    expect(await value(secrets, "empty")).toEqual({
      type: "ResourceNotFoundException",
      message: "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
    });
  });

  it("keeps binary values as bytes", async () => {
    const { secrets } = setUp();
    const bytes = Buffer.from([0, 159, 146, 150]);
    await secrets.create(scope, { name: "bin", secretBinary: bytes, clientRequestToken: token(1) }, T);
    const got = await secrets.getValue(scope, "bin", {}, T);
    expect(got.ok && got.value.secretBinary?.equals(bytes)).toBe(true);
    expect(got.ok && got.value.secretString).toBeUndefined();
  });

  it("schedules deletion within a 7-30 day window, refuses reads meanwhile, restores, and purges after", async () => {
    const { stores, secrets } = setUp();
    await secrets.create(scope, { name: "db", secretString: "v", clientRequestToken: token(1) }, T);
    expect(await secrets.remove(scope, "db", { recoveryWindowInDays: 6 }, T)).toMatchObject({
      error: {
        type: "InvalidParameterException",
        message: "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).",
      },
    });
    expect(await secrets.remove(scope, "db", { recoveryWindowInDays: 7, force: true }, T)).toMatchObject({
      error: {
        message: "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
      },
    });
    expect(await secrets.remove(scope, "db", {}, T)).toMatchObject({
      ok: true,
      value: { deletionDate: T + 30 * DAY },
    });
    const marked = {
      type: "InvalidRequestException",
      message: "You can't perform this operation on the secret because it was marked for deletion.",
    };
    expect(await value(secrets, "db")).toEqual(marked);
    expect(
      await secrets.putValue(scope, "db", { secretString: "x", clientRequestToken: token(2) }, T),
    ).toEqual({
      ok: false,
      error: marked,
    });
    expect(await secrets.remove(scope, "db", {}, T)).toEqual({ ok: false, error: marked });
    expect(await secrets.create(scope, { name: "db" }, T)).toMatchObject({
      error: {
        type: "InvalidRequestException",
        message:
          "You can't create this secret because a secret with this name is already scheduled for deletion.",
      },
    });
    expect(await secrets.restore(scope, "db", T + 1)).toMatchObject({ ok: true });
    expect(await value(secrets, "db")).toMatchObject({ string: "v" });

    await secrets.remove(scope, "db", { recoveryWindowInDays: 7 }, T);
    const later = T + 7 * DAY;
    expect(await value(secrets, "db", {}, later)).toMatchObject({ type: "ResourceNotFoundException" });
    expect(await stores.secrets.get(scope, "db")).toBeUndefined();
    expect(await secrets.create(scope, { name: "db" }, later)).toMatchObject({ ok: true });
  });

  it("force-deletes at once, so the name is free", async () => {
    const { secrets } = setUp();
    await secrets.create(scope, { name: "db", secretString: "v", clientRequestToken: token(1) }, T);
    expect(await secrets.remove(scope, "db", { force: true }, T)).toMatchObject({
      ok: true,
      value: { deletionDate: T },
    });
    expect(await value(secrets, "db")).toMatchObject({ type: "ResourceNotFoundException" });
    expect(await secrets.create(scope, { name: "db" }, T)).toMatchObject({ ok: true });
  });

  it("lists secrets, leaving scheduled ones out unless asked", async () => {
    const { secrets } = setUp();
    for (const name of ["a", "b", "c"]) await secrets.create(scope, { name }, T);
    await secrets.remove(scope, "b", {}, T);
    const names = async (includePlannedDeletion: boolean) =>
      (await secrets.list(scope, { limit: 10, includePlannedDeletion }, T)).items.map((s) => s.record.name);
    expect(await names(false)).toEqual(["a", "c"]);
    expect(await names(true)).toEqual(["a", "b", "c"]);
  });
});

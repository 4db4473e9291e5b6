import { describe, expect, it } from "vitest";
import { createMemoryStores } from "../../store/memory/create-memory-stores.js";
import { createSecretCipher, newSecretsKey, SecretDecryptionError } from "./cipher.js";
import { createParameterService, type PutParameterInput } from "./parameters.js";

const scope = { accountId: "123456789012", region: "us-east-1" };
const T = Date.UTC(2026, 0, 1);

function setUp() {
  const stores = createMemoryStores();
  const key = newSecretsKey();
  const parameters = createParameterService({ store: stores.parameters, cipher: createSecretCipher(key) });
  const put = (input: PutParameterInput, now = T) =>
    parameters.put(scope, input, { now, principal: "AKIDTEST" });
  return { stores, key, parameters, put };
}

describe("the parameter service", () => {
  it("stores a SecureString sealed, and reveals it", async () => {
    const { stores, parameters, put } = setUp();
    expect(await put({ name: "/app/db", value: "s3cr3t-value", type: "SecureString" })).toEqual({
      ok: true,
      value: { version: 1, tier: "Standard" },
    });
    const stored = await stores.parameters.get(scope, "/app/db");
    expect(stored).toMatchObject({
      type: "SecureString",
      keyId: "alias/aws/ssm",
      modifiedBy: "AKIDTEST",
      modified: T,
    });
    expect(JSON.stringify(stored)).not.toContain("s3cr3t-value");
    const found = await parameters.get(scope, "/app/db");
    expect(found.ok && parameters.reveal(found.value.record)).toBe("s3cr3t-value");
  });

  it("refuses to overwrite without Overwrite, in AWS's words, and overwrites with it", async () => {
    const { parameters, put } = setUp();
    await put({ name: "p", value: "one", type: "String", description: "first" });
    expect(await put({ name: "p", value: "two" })).toEqual({
      ok: false,
      error: {
        type: "ParameterAlreadyExists",
        message:
          "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.",
      },
    });
    expect(await put({ name: "p", value: "two", overwrite: true }, T + 1)).toEqual({
      ok: true,
      value: { version: 2, tier: "Standard" },
    });
    const current = await parameters.get(scope, "p");
    expect(current.ok && current.value.record).toMatchObject({
      version: 2,
      type: "String",
      description: "first",
    });
    expect(current.ok && parameters.reveal(current.value.record)).toBe("two");
    const first = await parameters.get(scope, "p:1");
    expect(first.ok && first.value.selector).toBe(":1");
    expect(first.ok && parameters.reveal(first.value.record)).toBe("one");
  });

  it("answers missing parameters and versions with ParameterNotFound and ParameterVersionNotFound", async () => {
    const { parameters, put } = setUp();
    expect(await parameters.get(scope, "nope")).toEqual({
      ok: false,
      error: { type: "ParameterNotFound", message: "Parameter nope not found." },
    });
    await put({ name: "p", value: "v", type: "String" });
    expect(await parameters.get(scope, "p:7")).toEqual({
      ok: false,
      error: {
        type: "ParameterVersionNotFound",
        message: "Systems Manager could not find version 7 of p. Verify the version and try again.",
      },
    });
    expect((await parameters.get(scope, "p:live")).ok).toBe(false);
    expect(await parameters.get(scope, "nope:1")).toMatchObject({ error: { type: "ParameterNotFound" } });
    expect(await parameters.remove(scope, "nope")).toMatchObject({ error: { type: "ParameterNotFound" } });
  });

  it("checks type, name, value length, tier and allowed pattern", async () => {
    const { put } = setUp();
    expect(await put({ name: "p", value: "v" })).toMatchObject({
      error: {
        type: "ValidationException",
        message: "A parameter type is required when you create a parameter.",
      },
    });
    expect(await put({ name: "ssm-x", value: "v", type: "String" })).toMatchObject({
      error: { type: "ValidationException" },
    });
    expect(
      await put({ name: "long", value: "x".repeat(4097), type: "String", tier: "Standard" }),
    ).toMatchObject({
      error: {
        type: "ValidationException",
        message: expect.stringContaining("maximum parameter value of 4096"),
      },
    });
    expect(await put({ name: "long", value: "x".repeat(4097), type: "String" })).toEqual({
      ok: true,
      value: { version: 1, tier: "Advanced" },
    });
    expect(await put({ name: "long", value: "short", overwrite: true, tier: "Standard" })).toMatchObject({
      error: { message: expect.stringContaining("can't downgrade a parameter") },
    });
    expect(await put({ name: "pin", value: "12a", type: "String", allowedPattern: "\\d+" })).toEqual({
      ok: false,
      error: {
        type: "ParameterPatternMismatchException",
        message: "Parameter value, cannot be validated against allowedPattern: \\d+",
      },
    });
    expect((await put({ name: "pin", value: "123", type: "String", allowedPattern: "\\d+" })).ok).toBe(true);
    // The pattern stays with the parameter.
    expect(await put({ name: "pin", value: "x", overwrite: true })).toMatchObject({
      error: { type: "ParameterPatternMismatchException" },
    });
    expect(
      await put({ name: "t", value: "v", type: "String", overwrite: true, tags: [{ Key: "a", Value: "b" }] }),
    ).toMatchObject({
      error: { message: expect.stringContaining("tags and overwrite can't be used together") },
    });
    expect(await put({ name: "d", value: "v", type: "String", dataType: "Text" })).toMatchObject({
      error: {
        message: "The following data type is not supported: Text (Data type names are all lowercase.)",
      },
    });
  });

  it("writes versions one after another when requests race", async () => {
    const { parameters, put } = setUp();
    await put({ name: "race", value: "0", type: "String" });
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => put({ name: "race", value: String(i + 1), overwrite: true })),
    );
    expect(results.map((r) => (r.ok ? r.value.version : 0)).sort()).toEqual([2, 3, 4, 5, 6]);
    const history = await parameters.history(scope, "race");
    expect(history.ok && history.value.map((r) => r.version)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("fails clearly when the key is not the one the value was sealed with", async () => {
    const { stores, put } = setUp();
    await put({ name: "p", value: "v", type: "SecureString" });
    const otherKey = createParameterService({
      store: stores.parameters,
      cipher: createSecretCipher(newSecretsKey()),
    });
    const found = await otherKey.get(scope, "p");
    expect(() => found.ok && otherKey.reveal(found.value.record)).toThrow(SecretDecryptionError);
  });
});

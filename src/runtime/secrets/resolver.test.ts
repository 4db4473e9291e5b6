import { describe, expect, it } from "vitest";
import { createFakeClock } from "../../lib/clock.js";
import { createMemoryStores } from "../../store/memory/create-memory-stores.js";
import { createSecretCipher, newSecretsKey } from "./cipher.js";
import { createParameterService } from "./parameters.js";
import { createSecretResolver } from "./resolver.js";
import { createSecretService } from "./secrets.js";

const scope = { accountId: "123456789012", region: "us-east-1" };
const token = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

async function setUp() {
  const stores = createMemoryStores();
  const cipher = createSecretCipher(newSecretsKey());
  const clock = createFakeClock(Date.UTC(2026, 0, 1));
  const deps = {
    parameters: createParameterService({ store: stores.parameters, cipher }),
    secrets: createSecretService({ store: stores.secrets, cipher }),
    clock,
  };
  const by = { now: clock.now(), principal: "test" };
  await deps.parameters.put(scope, { name: "/app/db", value: "db-pass", type: "SecureString" }, by);
  await deps.parameters.put(scope, { name: "hosts", value: "a,b", type: "StringList" }, by);
  await deps.secrets.create(
    scope,
    {
      name: "json",
      secretString: '{"user":"me","port":5432,"nested":{"x":1}}',
      clientRequestToken: token(1),
    },
    clock.now(),
  );
  await deps.secrets.putValue(
    scope,
    "json",
    { secretString: '{"user":"you"}', clientRequestToken: token(2) },
    clock.now(),
  );
  await deps.secrets.create(
    scope,
    { name: "plain", secretString: "not json", clientRequestToken: token(3) },
    clock.now(),
  );
  return { deps, resolver: createSecretResolver(deps, scope) };
}

describe("the secret resolver builds read through", () => {
  it("reads parameters decrypted, and names a missing one as CodeBuild does", async () => {
    const { resolver } = await setUp();
    expect(await resolver.parameter("/app/db")).toBe("db-pass");
    expect(await resolver.parameter("hosts")).toBe("a,b");
    expect(await resolver.parameter("/app/db:1")).toBe("db-pass");
    await expect(resolver.parameter("/app/missing")).rejects.toThrow(
      /^Parameter does not exist: \/app\/missing$/u,
    );
  });

  it("reads secrets whole, by JSON key, by stage and by version id", async () => {
    const { resolver } = await setUp();
    expect(await resolver.secret({ secretId: "plain" })).toBe("not json");
    expect(await resolver.secret({ secretId: "json", jsonKey: "user" })).toBe("you");
    expect(await resolver.secret({ secretId: "json", jsonKey: "user", versionStage: "AWSPREVIOUS" })).toBe(
      "me",
    );
    expect(await resolver.secret({ secretId: "json", jsonKey: "port", versionId: token(1) })).toBe("5432");
    expect(await resolver.secret({ secretId: "json", jsonKey: "nested", versionId: token(1) })).toBe(
      '{"x":1}',
    );
  });

  it("fails with CodeBuild's texts, naming the secret and key but never a value", async () => {
    const { resolver } = await setUp();
    await expect(resolver.secret({ secretId: "missing" })).rejects.toThrow(
      "Secrets Manager Error: ResourceNotFoundException: Secrets Manager can't find the specified secret.",
    );
    await expect(resolver.secret({ secretId: "json", jsonKey: "password" })).rejects.toThrow(
      "Secrets Manager Error: the SecretString of secret json has no JSON key 'password'",
    );
    const notJson = resolver.secret({ secretId: "plain", jsonKey: "user" });
    await expect(notJson).rejects.toThrow(
      "the SecretString of secret plain is not a JSON object, so it has no key 'user'",
    );
    await expect(notJson).rejects.not.toThrow(/not json/u);
    await expect(resolver.secret({ secretId: "json", versionStage: "AWSPENDING" })).rejects.toThrow(
      "Secrets Manager Error: ResourceNotFoundException: Secrets Manager can't find the specified secret value for staging label: AWSPENDING",
    );
  });

  it("reports a secret scheduled for deletion", async () => {
    const { deps, resolver } = await setUp();
    await deps.secrets.remove(scope, "plain", {}, deps.clock.now());
    await expect(resolver.secret({ secretId: "plain" })).rejects.toThrow(
      "Secrets Manager Error: InvalidRequestException: You can't perform this operation on the secret because it was marked for deletion.",
    );
  });
});

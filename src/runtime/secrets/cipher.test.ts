import { describe, expect, it } from "vitest";
import { createSecretCipher, newSecretsKey, SecretDecryptionError } from "./cipher.js";

describe("the secrets cipher (AES-256-GCM)", () => {
  const key = newSecretsKey();
  const cipher = createSecretCipher(key);

  it("opens what it sealed, text and bytes, and never shows the plaintext in the sealed form", () => {
    const sealed = cipher.seal("hunter2-🔑", "ctx");
    expect(sealed).toMatch(/^[A-Za-z0-9+/]+=*$/u);
    expect(Buffer.from(sealed, "base64").toString("latin1")).not.toContain("hunter2");
    expect(cipher.openText(sealed, "ctx")).toBe("hunter2-🔑");
    const bytes = Uint8Array.from([0, 1, 2, 255]);
    expect([...cipher.open(cipher.seal(bytes, "b"), "b")]).toEqual([0, 1, 2, 255]);
    expect(cipher.openText(cipher.seal("", "empty"), "empty")).toBe("");
  });

  it("uses a fresh nonce for every value: the same plaintext seals differently", () => {
    expect(cipher.seal("same", "ctx")).not.toBe(cipher.seal("same", "ctx"));
  });

  it("says so when the key is not the one the value was sealed with", () => {
    const sealed = cipher.seal("pl41ntext", "ctx");
    const other = createSecretCipher(newSecretsKey());
    expect(() => other.open(sealed, "ctx")).toThrow(SecretDecryptionError);
    expect(() => other.open(sealed, "ctx")).toThrow(/different key than this server's secrets\.key/u);
    try {
      other.open(sealed, "ctx");
    } catch (error) {
      expect((error as SecretDecryptionError).reason).toBe("WrongKey");
      expect((error as Error).message).not.toContain("pl41ntext");
    }
  });

  it("refuses a value sealed for another context, or altered, or not sealed at all", () => {
    const sealed = cipher.seal("value", "parameter a");
    expect(() => cipher.open(sealed, "parameter b")).toThrow(/altered or belongs to another/u);
    const bytes = Buffer.from(sealed, "base64");
    bytes[bytes.length - 20]! ^= 1;
    expect(() => cipher.open(bytes.toString("base64"), "parameter a")).toThrow(/altered/u);
    expect(() => cipher.open("plaintext", "parameter a")).toThrow(/not a value Pipewright sealed/u);
  });

  it("takes only a 32-byte key", () => {
    expect(() => createSecretCipher(new Uint8Array(16))).toThrow(/32-byte key, got 16 bytes/u);
  });
});

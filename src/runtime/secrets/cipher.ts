import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** AES-256 takes a 32-byte key. */
export const SECRETS_KEY_BYTES = 32;

const FORMAT = 1;
const KEY_ID_BYTES = 4;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + KEY_ID_BYTES + IV_BYTES;

/**
 * Seals Parameter Store and Secrets Manager values for the stores: AES-256-GCM with a random
 * 96-bit nonce per value. A sealed value is base64 text:
 *
 *     format (1 byte, 1) | key id (4 bytes) | nonce (12) | ciphertext | GCM tag (16)
 *
 * The key id is the start of SHA-256(key): it tells "another key" apart from "altered data"
 * without revealing the key. `context` is authenticated (GCM's additional data) but not stored:
 * a value sealed for one parameter version or secret version does not open as another's, so
 * copying ciphertext between rows of the database gets an error, not a wrong secret.
 */
export interface SecretCipher {
  seal(plaintext: string | Uint8Array, context: string): string;
  /** The plaintext bytes; throws SecretDecryptionError when the value does not open. */
  open(sealed: string, context: string): Buffer;
  /** `open` decoded as UTF-8. */
  openText(sealed: string, context: string): string;
}

export type SecretDecryptionReason = "WrongKey" | "Altered" | "Malformed";

/** A stored value that does not decrypt. The message says why and never contains key material. */
export class SecretDecryptionError extends Error {
  readonly reason: SecretDecryptionReason;
  constructor(reason: SecretDecryptionReason) {
    super(DECRYPTION_MESSAGES[reason]);
    this.name = "SecretDecryptionError";
    this.reason = reason;
  }
}

const DECRYPTION_MESSAGES: Record<SecretDecryptionReason, string> = {
  WrongKey:
    "The stored value was encrypted with a different key than this server's secrets.key; restore the secrets.key the data directory was created with",
  Altered:
    "The stored value does not decrypt with this server's secrets.key: the database row was altered or belongs to another parameter or secret",
  Malformed: "The stored value is not a value Pipewright sealed; the database row was altered",
};

/** A new random key, for a new data directory or a test. */
export function newSecretsKey(): Buffer {
  return randomBytes(SECRETS_KEY_BYTES);
}

export function createSecretCipher(key: Uint8Array): SecretCipher {
  if (!(key instanceof Uint8Array) || key.byteLength !== SECRETS_KEY_BYTES) {
    const got = key instanceof Uint8Array ? `${key.byteLength} bytes` : String(key);
    throw new RangeError(`secrets key: AES-256-GCM needs a ${SECRETS_KEY_BYTES}-byte key, got ${got}`);
  }
  const secretKey = Buffer.from(key);
  const keyId = createHash("sha256").update(secretKey).digest().subarray(0, KEY_ID_BYTES);

  function open(sealed: string, context: string): Buffer {
    const bytes = Buffer.from(sealed, "base64");
    if (bytes.length < HEADER_BYTES + TAG_BYTES || bytes[0] !== FORMAT) {
      throw new SecretDecryptionError("Malformed");
    }
    if (!timingSafeEqual(bytes.subarray(1, 1 + KEY_ID_BYTES), keyId)) {
      throw new SecretDecryptionError("WrongKey");
    }
    const iv = bytes.subarray(1 + KEY_ID_BYTES, HEADER_BYTES);
    const decipher = createDecipheriv("aes-256-gcm", secretKey, iv);
    decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    try {
      return Buffer.concat([
        decipher.update(bytes.subarray(HEADER_BYTES, bytes.length - TAG_BYTES)),
        decipher.final(),
      ]);
    } catch {
      throw new SecretDecryptionError("Altered");
    }
  }

  return {
    seal(plaintext, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", secretKey, iv);
      cipher.setAAD(Buffer.from(context, "utf8"));
      const data = typeof plaintext === "string" ? Buffer.from(plaintext, "utf8") : plaintext;
      const body = Buffer.concat([cipher.update(data), cipher.final()]);
      return Buffer.concat([Buffer.from([FORMAT]), keyId, iv, body, cipher.getAuthTag()]).toString("base64");
    },
    open,
    openText: (sealed, context) => open(sealed, context).toString("utf8"),
  };
}

import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Small files that give a data directory its identity, created on first use: `node-id` names
 * this server's in-process worker (so a restart recognises the jobs it held), `secret.key`
 * signs per-job artifact credentials (so they stay valid across a restart), and `secrets.key`
 * (32 random bytes, base64) encrypts Parameter Store and Secrets Manager values at rest
 * (docs/secrets.md). Both keys are written with mode 0600.
 */
export function dataDirIdentity(dataDir: string): { nodeId: string; secret: string; secretsKey: Buffer } {
  const secretsKeyFile = join(dataDir, "secrets.key");
  const secretsKey = Buffer.from(
    readOrCreate(secretsKeyFile, () => randomBytes(32).toString("base64"), 0o600),
    "base64",
  );
  if (secretsKey.length !== 32) {
    throw new Error(
      `${secretsKeyFile} must hold 32 bytes in base64 (it holds ${secretsKey.length}); restore the file this data directory was created with`,
    );
  }
  return {
    nodeId: readOrCreate(join(dataDir, "node-id"), () => randomUUID(), 0o644),
    secret: readOrCreate(join(dataDir, "secret.key"), () => randomBytes(32).toString("base64"), 0o600),
    secretsKey,
  };
}

function readOrCreate(file: string, make: () => string, mode: number): string {
  try {
    return readFileSync(file, "utf8").trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    const value = make();
    try {
      writeFileSync(file, `${value}\n`, { mode, flag: "wx" });
      return value;
    } catch (raced) {
      // Another process created it first: use theirs.
      if ((raced as NodeJS.ErrnoException).code === "EEXIST") return readFileSync(file, "utf8").trim();
      throw raced;
    }
  }
}

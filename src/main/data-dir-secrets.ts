import { existsSync } from "node:fs";
import { join } from "node:path";
import type { SecretResolver } from "../build-agent/types.js";
import { createSecretCipher } from "../runtime/secrets/cipher.js";
import { createParameterService } from "../runtime/secrets/parameters.js";
import { createSecretResolver } from "../runtime/secrets/resolver.js";
import { createSecretService } from "../runtime/secrets/secrets.js";
import { createSqliteStores } from "../store/sqlite/create-sqlite-stores.js";
import type { Scope } from "../store/types.js";
import { dataDirIdentity } from "./data-dir.js";
import { systemClock } from "./system-clock.js";

/**
 * Parameter Store and Secrets Manager of an existing data directory, for `pipewright build`:
 * the values a server holds (`aws ssm put-parameter --endpoint-url ...`) reach local builds
 * without a running server. Undefined when the directory holds no Pipewright database (nothing
 * is created then).
 */
export function openDataDirSecrets(
  dataDir: string,
  scope: Scope,
): { resolver: SecretResolver; close(): Promise<void> } | undefined {
  const file = join(dataDir, "pipewright.db");
  if (!existsSync(file) || !existsSync(join(dataDir, "secrets.key"))) return undefined;
  const stores = createSqliteStores({ file });
  const cipher = createSecretCipher(dataDirIdentity(dataDir).secretsKey);
  const resolver = createSecretResolver(
    {
      parameters: createParameterService({ store: stores.parameters, cipher }),
      secrets: createSecretService({ store: stores.secrets, cipher }),
      clock: systemClock,
    },
    scope,
  );
  return { resolver, close: () => stores.close() };
}

import type { SecretResolver } from "../../build-agent/types.js";
import type { Clock } from "../../lib/clock.js";
import type { Scope } from "../../store/types.js";
import { SecretDecryptionError } from "./cipher.js";
import type { ParameterService } from "./parameters.js";
import type { SecretService } from "./secrets.js";

export interface SecretResolverDeps {
  readonly parameters: ParameterService;
  readonly secrets: SecretService;
  readonly clock: Clock;
}

/**
 * The SecretResolver a build in `scope` reads `env.parameter-store` and `env.secrets-manager`
 * through: this server's Parameter Store and Secrets Manager. Failures carry CodeBuild's texts
 * (`Parameter does not exist: <name>`, `Secrets Manager Error: <exception>: <message>`); no
 * message ever contains a value.
 */
export function createSecretResolver(deps: SecretResolverDeps, scope: Scope): SecretResolver {
  return {
    async parameter(name) {
      const found = await deps.parameters.get(scope, name);
      if (!found.ok) throw new Error(`Parameter does not exist: ${name}`);
      try {
        return deps.parameters.reveal(found.value.record);
      } catch (error) {
        if (error instanceof SecretDecryptionError) {
          throw new Error(`Parameter Store Error: DecryptionFailure: ${error.message} (parameter ${name})`);
        }
        throw error;
      }
    },

    async secret(reference) {
      const { secretId, jsonKey } = reference;
      let opened: Awaited<ReturnType<SecretResolverDeps["secrets"]["getValue"]>>;
      try {
        opened = await deps.secrets.getValue(
          scope,
          secretId,
          {
            ...(reference.versionId === undefined ? {} : { versionId: reference.versionId }),
            ...(reference.versionStage === undefined ? {} : { versionStage: reference.versionStage }),
          },
          deps.clock.now(),
        );
      } catch (error) {
        if (error instanceof SecretDecryptionError) {
          throw new Error(`Secrets Manager Error: DecryptionFailure: ${error.message} (secret ${secretId})`);
        }
        throw error;
      }
      if (!opened.ok) throw new Error(`Secrets Manager Error: ${opened.error.type}: ${opened.error.message}`);
      const text = opened.value.secretString;
      if (text === undefined) {
        throw new Error(
          `Secrets Manager Error: secret ${secretId} holds a SecretBinary value; only a SecretString can become an environment variable`,
        );
      }
      if (jsonKey === undefined) return text;
      let document: unknown;
      try {
        document = JSON.parse(text);
      } catch {
        document = undefined;
      }
      if (typeof document !== "object" || document === null || Array.isArray(document)) {
        throw new Error(
          `Secrets Manager Error: the SecretString of secret ${secretId} is not a JSON object, so it has no key '${jsonKey}'`,
        );
      }
      if (!Object.hasOwn(document, jsonKey)) {
        throw new Error(
          `Secrets Manager Error: the SecretString of secret ${secretId} has no JSON key '${jsonKey}'`,
        );
      }
      const value = (document as Record<string, unknown>)[jsonKey];
      return typeof value === "string" ? value : JSON.stringify(value);
    },
  };
}

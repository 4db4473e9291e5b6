import type { SecretService } from "../../runtime/secrets/secrets.js";

/** What the Secrets Manager operations need: the secrets service. */
export interface SecretsManagerDeps {
  readonly secrets: SecretService;
}

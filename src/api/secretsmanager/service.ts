import type { JsonService } from "../operation.js";
import type { SecretsManagerDeps } from "./deps.js";
import { listSecrets, listSecretVersionIds } from "./operations/list-secrets.js";
import {
  createSecret,
  deleteSecret,
  describeSecret,
  getSecretValue,
  putSecretValue,
  restoreSecret,
} from "./operations/secrets.js";

/**
 * Secrets Manager (`secretsmanager`, signing name `secretsmanager`, AWS JSON 1.1): secrets kept by
 * this server, encrypted at rest (runtime/secrets). Operations of AWS's model that are not in
 * `operations` are listed in `notImplemented`. docs/secrets.md says what differs from AWS.
 */
export function createSecretsManagerService(deps: SecretsManagerDeps): JsonService {
  return {
    targetPrefix: "secretsmanager",
    signingName: "secretsmanager",
    operations: [
      createSecret(deps),
      getSecretValue(deps),
      putSecretValue(deps),
      deleteSecret(deps),
      restoreSecret(deps),
      describeSecret(deps),
      listSecrets(deps),
      listSecretVersionIds(deps),
    ],
    notImplemented,
  };
}

/** Every other operation of botocore's secretsmanager 2017-10-17 model. */
const notImplemented = [
  "BatchGetSecretValue",
  "CancelRotateSecret",
  "DeleteResourcePolicy",
  "GetRandomPassword",
  "GetResourcePolicy",
  "PutResourcePolicy",
  "RemoveRegionsFromReplication",
  "ReplicateSecretToRegions",
  "RotateSecret",
  "StopReplicationToReplica",
  "TagResource",
  "UntagResource",
  "UpdateSecret",
  "UpdateSecretVersionStage",
  "ValidateResourcePolicy",
];

import { bool, int, list, optional, string, struct } from "../../../lib/shape.js";
import { apiError, fromFailure } from "../../errors.js";
import { defineOperation } from "../../operation.js";
import { epochSeconds } from "../../pagination.js";
import { decryptedAsync } from "../../sensitive.js";
import type { SecretsManagerDeps } from "../deps.js";
import { renderSecret } from "../render.js";
import {
  clientRequestToken,
  secretBinary,
  secretId,
  secretString,
  versionId,
  versionStage,
  versionStages,
} from "../shapes.js";

/** CreateSecret: a secret, with its first version (AWSCURRENT) when a value is given. */
export const createSecret = (deps: SecretsManagerDeps) =>
  defineOperation({
    name: "CreateSecret",
    input: struct({
      Name: string({ min: 1, max: 512 }),
      ClientRequestToken: clientRequestToken,
      Description: optional(string({ max: 2048 })),
      KmsKeyId: optional(string({ min: 0, max: 2048 })),
      SecretBinary: secretBinary,
      SecretString: secretString,
      Tags: optional(
        list(
          struct({
            Key: optional(string({ min: 1, max: 128 })),
            Value: optional(string({ min: 0, max: 256 })),
          }),
        ),
      ),
      AddReplicaRegions: optional(list(struct({ Region: optional(string()), KmsKeyId: optional(string()) }))),
      ForceOverwriteReplicaSecret: optional(bool()),
      Type: optional(string({ min: 0, max: 256 })),
    }),
    async handle(input, ctx) {
      if (input.AddReplicaRegions !== undefined) {
        throw apiError(
          "InvalidRequestException",
          "Pipewright does not replicate secrets to other Regions; leave out AddReplicaRegions",
        );
      }
      const created = await decryptedAsync(() =>
        deps.secrets.create(
          ctx.scope,
          {
            name: input.Name,
            ...(input.ClientRequestToken === undefined
              ? {}
              : { clientRequestToken: input.ClientRequestToken }),
            ...(input.Description === undefined ? {} : { description: input.Description }),
            ...(input.KmsKeyId === undefined ? {} : { kmsKeyId: input.KmsKeyId }),
            ...(input.SecretString === undefined ? {} : { secretString: input.SecretString }),
            ...(input.SecretBinary === undefined ? {} : { secretBinary: input.SecretBinary }),
            tags: (input.Tags ?? []).map((t) => ({ Key: t.Key ?? "", Value: t.Value ?? "" })),
          },
          ctx.now,
        ),
      );
      if (!created.ok) throw fromFailure(created.error);
      const { record, versionId: version } = created.value;
      return { ARN: record.arn, Name: record.name, ...(version === undefined ? {} : { VersionId: version }) };
    },
  });

/** GetSecretValue: by name, ARN or partial ARN; by VersionId or VersionStage (AWSCURRENT). */
export const getSecretValue = (deps: SecretsManagerDeps) =>
  defineOperation({
    name: "GetSecretValue",
    input: struct({
      SecretId: secretId,
      VersionId: optional(versionId),
      VersionStage: optional(versionStage),
    }),
    async handle(input, ctx) {
      const opened = await decryptedAsync(() =>
        deps.secrets.getValue(
          ctx.scope,
          input.SecretId,
          {
            ...(input.VersionId === undefined ? {} : { versionId: input.VersionId }),
            ...(input.VersionStage === undefined ? {} : { versionStage: input.VersionStage }),
          },
          ctx.now,
        ),
      );
      if (!opened.ok) throw fromFailure(opened.error);
      const { record, version, secretString: text, secretBinary: bytes } = opened.value;
      return {
        ARN: record.arn,
        Name: record.name,
        VersionId: version.versionId,
        ...(text === undefined ? {} : { SecretString: text }),
        ...(bytes === undefined ? {} : { SecretBinary: bytes.toString("base64") }),
        VersionStages: version.stages,
        CreatedDate: epochSeconds(version.created),
      };
    },
  });

/** PutSecretValue: a new version, AWSCURRENT unless VersionStages says otherwise. */
export const putSecretValue = (deps: SecretsManagerDeps) =>
  defineOperation({
    name: "PutSecretValue",
    input: struct({
      SecretId: secretId,
      ClientRequestToken: clientRequestToken,
      SecretBinary: secretBinary,
      SecretString: secretString,
      VersionStages: optional(versionStages),
      RotationToken: optional(string({ min: 36, max: 256 })),
    }),
    async handle(input, ctx) {
      const put = await decryptedAsync(() =>
        deps.secrets.putValue(
          ctx.scope,
          input.SecretId,
          {
            ...(input.ClientRequestToken === undefined
              ? {}
              : { clientRequestToken: input.ClientRequestToken }),
            ...(input.SecretString === undefined ? {} : { secretString: input.SecretString }),
            ...(input.SecretBinary === undefined ? {} : { secretBinary: input.SecretBinary }),
            ...(input.VersionStages === undefined ? {} : { versionStages: input.VersionStages }),
          },
          ctx.now,
        ),
      );
      if (!put.ok) throw fromFailure(put.error);
      const { record, version } = put.value;
      return {
        ARN: record.arn,
        Name: record.name,
        VersionId: version.versionId,
        VersionStages: version.stages,
      };
    },
  });

/** DeleteSecret: scheduled after RecoveryWindowInDays (7-30, default 30), or at once when forced. */
export const deleteSecret = (deps: SecretsManagerDeps) =>
  defineOperation({
    name: "DeleteSecret",
    input: struct({
      SecretId: secretId,
      RecoveryWindowInDays: optional(int()),
      ForceDeleteWithoutRecovery: optional(bool()),
    }),
    async handle(input, ctx) {
      const removed = await deps.secrets.remove(
        ctx.scope,
        input.SecretId,
        {
          ...(input.RecoveryWindowInDays === undefined
            ? {}
            : { recoveryWindowInDays: input.RecoveryWindowInDays }),
          ...(input.ForceDeleteWithoutRecovery === undefined
            ? {}
            : { force: input.ForceDeleteWithoutRecovery }),
        },
        ctx.now,
      );
      if (!removed.ok) throw fromFailure(removed.error);
      const { record, deletionDate } = removed.value;
      return { ARN: record.arn, Name: record.name, DeletionDate: epochSeconds(deletionDate) };
    },
  });

/** RestoreSecret: cancels a scheduled deletion. */
export const restoreSecret = (deps: SecretsManagerDeps) =>
  defineOperation({
    name: "RestoreSecret",
    input: struct({ SecretId: secretId }),
    async handle(input, ctx) {
      const restored = await deps.secrets.restore(ctx.scope, input.SecretId, ctx.now);
      if (!restored.ok) throw fromFailure(restored.error);
      return { ARN: restored.value.arn, Name: restored.value.name };
    },
  });

/** DescribeSecret: metadata and version labels, never values; works on scheduled secrets too. */
export const describeSecret = (deps: SecretsManagerDeps) =>
  defineOperation({
    name: "DescribeSecret",
    input: struct({ SecretId: secretId }),
    async handle(input, ctx) {
      const described = await deps.secrets.describe(ctx.scope, input.SecretId, ctx.now);
      if (!described.ok) throw fromFailure(described.error);
      return renderSecret(described.value, "VersionIdsToStages");
    },
  });

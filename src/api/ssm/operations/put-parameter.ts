import { bool, list, optional, string, struct } from "../../../lib/shape.js";
import { apiError, fromFailure } from "../../errors.js";
import { defineOperation } from "../../operation.js";
import { sensitiveString } from "../../sensitive.js";
import type { SsmDeps } from "../deps.js";

const tagPattern = "^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$";

/** PutParameter: a new parameter (version 1), or with Overwrite the next version of one. */
export const putParameter = (deps: SsmDeps) =>
  defineOperation({
    name: "PutParameter",
    input: struct({
      Name: string({ min: 1, max: 2048 }),
      Description: optional(string({ min: 0, max: 1024 })),
      Value: sensitiveString(),
      Type: optional(string({ enum: ["String", "StringList", "SecureString"] as const })),
      KeyId: optional(string({ min: 1, max: 256, pattern: "^([a-zA-Z0-9:/_-]+)$" })),
      Overwrite: optional(bool()),
      AllowedPattern: optional(string({ min: 0, max: 1024 })),
      Tags: optional(
        list(
          struct({
            Key: string({ min: 1, max: 128, pattern: tagPattern }),
            Value: string({ min: 0, max: 256, pattern: tagPattern }),
          }),
          { max: 1000 },
        ),
      ),
      Tier: optional(string({ enum: ["Standard", "Advanced", "Intelligent-Tiering"] as const })),
      Policies: optional(string({ min: 1, max: 4096 })),
      DataType: optional(string({ min: 0, max: 128 })),
    }),
    async handle(input, ctx) {
      if (input.Policies !== undefined) {
        throw apiError(
          "ValidationException",
          "Pipewright does not support parameter policies (Expiration, ExpirationNotification, NoChangeNotification); leave out Policies",
        );
      }
      const put = await deps.parameters.put(
        ctx.scope,
        {
          name: input.Name,
          value: input.Value,
          ...(input.Type === undefined ? {} : { type: input.Type }),
          ...(input.Overwrite === undefined ? {} : { overwrite: input.Overwrite }),
          ...(input.Description === undefined ? {} : { description: input.Description }),
          ...(input.KeyId === undefined ? {} : { keyId: input.KeyId }),
          ...(input.AllowedPattern === undefined ? {} : { allowedPattern: input.AllowedPattern }),
          ...(input.Tags === undefined ? {} : { tags: input.Tags }),
          ...(input.Tier === undefined ? {} : { tier: input.Tier }),
          ...(input.DataType === undefined ? {} : { dataType: input.DataType }),
        },
        { now: ctx.now, principal: ctx.principal },
      );
      if (!put.ok) throw fromFailure(put.error);
      return { Version: put.value.version, Tier: put.value.tier };
    },
  });

import { list, optional, string, struct } from "../../../lib/shape.js";
import { fromFailure } from "../../errors.js";
import { defineOperation } from "../../operation.js";
import { decodeNextToken } from "../../pagination.js";
import type { CodePipelineDeps } from "../deps.js";
import { renderActionType, renderActionTypeDeclaration } from "../render.js";
import {
  actionCategory,
  actionOwner,
  actionProvider,
  actionTypeSettings,
  actionVersion,
  artifactDetails,
  configurationProperty,
  nextToken,
  tagList,
} from "../shapes.js";

export const createCustomActionType = (deps: CodePipelineDeps) =>
  defineOperation({
    name: "CreateCustomActionType",
    input: struct({
      category: actionCategory,
      provider: actionProvider,
      version: actionVersion,
      settings: optional(actionTypeSettings),
      configurationProperties: optional(list(configurationProperty, { max: 10 })),
      inputArtifactDetails: artifactDetails,
      outputArtifactDetails: artifactDetails,
      tags: optional(tagList),
    }),
    async handle(input, ctx) {
      const spec = {
        // The owner of a type made with CreateCustomActionType is always Custom.
        id: {
          category: input.category,
          owner: "Custom" as const,
          provider: input.provider,
          version: input.version,
        },
        ...(input.settings ? { settings: input.settings } : {}),
        actionConfigurationProperties: input.configurationProperties ?? [],
        inputArtifactDetails: input.inputArtifactDetails,
        outputArtifactDetails: input.outputArtifactDetails,
        executable: true,
      };
      const result = await deps.actionTypes.create(ctx.scope, spec, input.tags ?? [], ctx.now);
      if (!result.ok) throw fromFailure(result.error);
      return {
        actionType: renderActionType(result.value.spec),
        ...(input.tags === undefined ? {} : { tags: result.value.tags }),
      };
    },
  });

export const deleteCustomActionType = (deps: CodePipelineDeps) =>
  defineOperation({
    name: "DeleteCustomActionType",
    input: struct({ category: actionCategory, provider: actionProvider, version: actionVersion }),
    async handle(input, ctx) {
      const id = {
        category: input.category,
        owner: "Custom" as const,
        provider: input.provider,
        version: input.version,
      };
      await deps.actionTypes.remove(ctx.scope, id, ctx.now);
      return {};
    },
  });

/** Every type fits one page (built-ins plus at most 50 custom ones); nextToken is never issued. */
export const listActionTypes = (deps: CodePipelineDeps) =>
  defineOperation({
    name: "ListActionTypes",
    input: struct({
      actionOwnerFilter: optional(actionOwner),
      nextToken,
      regionFilter: optional(string({ min: 4, max: 30 })),
    }),
    async handle(input, ctx) {
      decodeNextToken("ListActionTypes", input.nextToken);
      const scope = input.regionFilter ? { ...ctx.scope, region: input.regionFilter } : ctx.scope;
      const types = await deps.actionTypes.list(scope, input.actionOwnerFilter);
      return { actionTypes: types.map(renderActionType) };
    },
  });

export const getActionType = (deps: CodePipelineDeps) =>
  defineOperation({
    name: "GetActionType",
    input: struct({
      category: actionCategory,
      owner: string({ pattern: "AWS|ThirdParty|Custom" }),
      provider: actionProvider,
      version: actionVersion,
    }),
    async handle(input, ctx) {
      const id = {
        category: input.category,
        owner: input.owner as "AWS" | "ThirdParty" | "Custom",
        provider: input.provider,
        version: input.version,
      };
      const result = await deps.actionTypes.get(ctx.scope, id);
      if (!result.ok) throw fromFailure(result.error);
      return { actionType: renderActionTypeDeclaration(result.value) };
    },
  });

import { err, ok, type Result } from "../../lib/result.js";
import type { ActionTypeCatalog, ActionTypeSpec } from "../../model/action-types/action-type.js";
import { actionTypeKey } from "../../model/action-types/action-type.js";
import { builtinActionTypes } from "../../model/action-types/builtin-action-types.js";
import { createActionTypeCatalog } from "../../model/action-types/catalog.js";
import type { ActionOwner, ActionTypeId, Tag } from "../../model/declaration.js";
import type { ServiceFailure } from "../../model/exceptions.js";
import type { Scope, Stores } from "../../store/types.js";
import { checkTags, mergeTags } from "./tags.js";

/** AWS's quota of custom action types per account and region. */
export const MAX_CUSTOM_ACTION_TYPES = 50;

/** `arn:aws:codepipeline:<region>:<account>:actiontype:Custom/<Category>/<Provider>/<Version>`. */
export function actionTypeArn(scope: Scope, id: ActionTypeId): string {
  return `arn:aws:codepipeline:${scope.region}:${scope.accountId}:actiontype:${id.owner}/${id.category}/${id.provider}/${id.version}`;
}

export function describeActionType(id: ActionTypeId): string {
  return `ActionType (Category: '${id.category}', Provider: '${id.provider}', Owner: '${id.owner}', Version: '${id.version}')`;
}

/**
 * The action types a scope offers: AWS's built-ins (with `executable` set by the providers this
 * server runs, plus any test types main/ registers) and the custom types registered with
 * CreateCustomActionType. Deleted custom types stay stored (for executions that used them) but
 * are no longer offered.
 */
export function createCustomActionTypes(
  stores: Stores,
  builtins: readonly ActionTypeSpec[] = builtinActionTypes,
) {
  const listeners: ((scope: Scope) => void)[] = [];
  const changed = (scope: Scope) => {
    for (const listener of listeners) listener(scope);
  };

  async function liveCustom(scope: Scope): Promise<ActionTypeSpec[]> {
    return (await stores.actionTypes.list(scope)).filter((r) => r.deleted === undefined).map((r) => r.spec);
  }

  return {
    /**
     * Calls `listener` after a scope's custom types changed (one created, restored or deleted):
     * compiled plans that name them are stale (a deleted type's actions can no longer run).
     */
    onChanged(listener: (scope: Scope) => void): void {
      listeners.push(listener);
    },

    async catalogFor(scope: Scope): Promise<ActionTypeCatalog> {
      return createActionTypeCatalog([...builtins, ...(await liveCustom(scope))]);
    },

    async list(scope: Scope, owner: ActionOwner | undefined): Promise<ActionTypeSpec[]> {
      const all = [...builtins, ...(await liveCustom(scope))];
      return owner === undefined ? all : all.filter((s) => s.id.owner === owner);
    },

    async get(scope: Scope, id: ActionTypeId): Promise<Result<ActionTypeSpec, ServiceFailure>> {
      const found = (await this.list(scope, undefined)).find(
        (s) => actionTypeKey(s.id) === actionTypeKey(id),
      );
      return found
        ? ok(found)
        : err({ type: "ActionTypeNotFoundException", message: `${describeActionType(id)} does not exist` });
    },

    async create(
      scope: Scope,
      spec: ActionTypeSpec,
      tags: readonly Tag[],
      now: number,
    ): Promise<Result<{ spec: ActionTypeSpec; tags: Tag[] }, ServiceFailure>> {
      const problem = checkCustomActionType(spec);
      if (problem) return err(problem);
      const arn = actionTypeArn(scope, spec.id);
      const tagFailure = checkTags(arn, [], tags);
      if (tagFailure) return err(tagFailure);
      const existing = await stores.actionTypes.get(scope, spec.id);
      if (existing) {
        const same = JSON.stringify(existing.spec) === JSON.stringify(spec);
        if (!same) {
          return err({
            type: "ValidationException",
            message: `${describeActionType(spec.id)} already exists with a different definition; use a new version string`,
          });
        }
        if (existing.deleted === undefined)
          return ok({ spec: existing.spec, tags: await stores.tags.get(arn) });
      }
      if ((await liveCustom(scope)).length >= MAX_CUSTOM_ACTION_TYPES) {
        return err({
          type: "LimitExceededException",
          message: `Account '${scope.accountId}' has reached the limit of ${MAX_CUSTOM_ACTION_TYPES} custom action types in region '${scope.region}'`,
        });
      }
      const created = await stores.actionTypes.create({ scope, spec, created: now });
      if (!created.ok) {
        return err({
          type: "ConcurrentModificationException",
          message: `${describeActionType(spec.id)} was created concurrently; retry`,
        });
      }
      const stored = mergeTags([], tags);
      if (stored.length > 0) await stores.tags.put(arn, stored);
      changed(scope);
      return ok({ spec, tags: stored });
    },

    /** Succeeds whether or not the type exists, as AWS's DeleteCustomActionType does. */
    async remove(scope: Scope, id: ActionTypeId, now: number): Promise<void> {
      if (await stores.actionTypes.markDeleted(scope, id, now)) changed(scope);
    },
  };
}

export type CustomActionTypes = ReturnType<typeof createCustomActionTypes>;

/** CodePipeline's rules for custom action type properties (user guide, custom actions). */
function checkCustomActionType(spec: ActionTypeSpec): ServiceFailure | undefined {
  const props = spec.actionConfigurationProperties;
  const names = new Set<string>();
  for (const p of props) {
    if (names.has(p.name)) {
      return {
        type: "ValidationException",
        message: `Configuration property '${p.name}' is declared more than once`,
      };
    }
    names.add(p.name);
  }
  const queryable = props.filter((p) => p.queryable);
  if (queryable.length > 1) {
    return {
      type: "ValidationException",
      message: `Only one configuration property can be queryable; found ${queryable.map((p) => `'${p.name}'`).join(", ")}`,
    };
  }
  const q = queryable[0];
  if (q && (!q.required || q.secret)) {
    return {
      type: "ValidationException",
      message: `Queryable configuration property '${q.name}' must be required and not secret`,
    };
  }
  for (const [setting, template] of Object.entries(spec.settings ?? {})) {
    for (const match of String(template).matchAll(/\{Config:([^}]+)\}/gu)) {
      const prop = props.find((p) => p.name === match[1]);
      if (!prop?.required || prop.secret) {
        return {
          type: "ValidationException",
          message: `settings.${setting} refers to {Config:${match[1]}}, which must be a required, non-secret configuration property`,
        };
      }
    }
  }
  for (const [which, d] of [
    ["inputArtifactDetails", spec.inputArtifactDetails],
    ["outputArtifactDetails", spec.outputArtifactDetails],
  ] as const) {
    if (d.minimumCount > d.maximumCount) {
      return {
        type: "ValidationException",
        message: `${which}.minimumCount (${d.minimumCount}) must not be greater than maximumCount (${d.maximumCount})`,
      };
    }
  }
  return undefined;
}

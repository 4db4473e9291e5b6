import type { Logger } from "../../lib/logger.js";
import type { Result } from "../../lib/result.js";
import { err, ok } from "../../lib/result.js";
import type { ActionTypeCatalog } from "../../model/action-types/action-type.js";
import { withStoredDefaults } from "../../model/apply-defaults.js";
import type { PipelineDeclaration, Tag } from "../../model/declaration.js";
import type { ServiceFailure } from "../../model/exceptions.js";
import { parsePipelineDeclaration } from "../../model/parse-pipeline-declaration.js";
import {
  mapSecretConfiguration,
  maskSecretConfiguration,
  restoreMaskedSecrets,
} from "../../model/secrets.js";
import { validatePipeline } from "../../model/validate-pipeline.js";
import type { ValidationIssue } from "../../model/validation-issue.js";
import type { PipelineRecord, PipelineSummaryRecord, Scope, Stores } from "../../store/types.js";
import { parseCodePipelineArn, pipelineArn } from "./arns.js";
import { checkTags, mergeTags, systemTagFailure } from "./tags.js";
import { validationFailure } from "./validation-failure.js";

/** AWS's quota of pipelines per account and region. */
export const MAX_PIPELINES_PER_REGION = 1000;

export interface PipelineDefinitionsDeps {
  readonly stores: Stores;
  /** The action types valid in a scope: the built-ins plus the scope's live custom types. */
  readonly catalogFor: (scope: Scope) => Promise<ActionTypeCatalog>;
  /** Seals secret-typed configuration before it is stored (runtime/secrets/configuration-sealer.ts). */
  readonly sealer?: { seal(value: string): string; open(value: string): string };
  /** Where warnings about accepted declarations are logged (they are also in the answer). */
  readonly logger?: Logger;
}

/** A pipeline as the API shows it: secret configuration values masked as `****`. */
export interface PipelineView {
  readonly record: PipelineRecord;
  readonly declaration: PipelineDeclaration;
  readonly arn: string;
}

/** A warning about an accepted declaration (a provider Pipewright cannot run, say). */
export interface DeclarationWarning {
  readonly path: string;
  readonly code: string;
  readonly message: string;
  readonly severity: "warning";
}

function warningsOf(issues: readonly ValidationIssue[]): DeclarationWarning[] {
  return issues
    .filter((i) => i.severity === "warning")
    .map(({ path, code, message }) => ({ path, code, message, severity: "warning" }));
}

/**
 * Creating, changing and reading pipeline definitions: parse, validate against the scope's
 * catalogue, store, and answer in AWS's vocabulary. Expected failures come back as values.
 * Safe to call concurrently: conflicting updates lose with ConcurrentModificationException.
 */
export function createPipelineDefinitions(deps: PipelineDefinitionsDeps) {
  const { stores } = deps;

  async function view(record: PipelineRecord): Promise<PipelineView> {
    const catalog = await deps.catalogFor(record.scope);
    return {
      record,
      declaration: maskSecretConfiguration(record.declaration, catalog),
      arn: pipelineArn(record.scope, record.name),
    };
  }

  /** Shape first, then the caller's existence check, then the rules: the order AWS reports in. */
  async function check(
    scope: Scope,
    raw: unknown,
    existence: (name: string) => Promise<{ failure?: ServiceFailure; previous?: PipelineDeclaration }>,
  ): Promise<Result<{ declaration: PipelineDeclaration; warnings: DeclarationWarning[] }, ServiceFailure>> {
    const parsed = parsePipelineDeclaration(raw, "pipeline");
    if (!parsed.ok) return err(validationFailure(parsed.error)!);
    const found = await existence(parsed.value.name);
    if (found.failure) return err(found.failure);
    const catalog = await deps.catalogFor(scope);
    // A `****` keeps the stored value, opened so that the rules check what the user wrote.
    const sealer = deps.sealer;
    const previous =
      found.previous && sealer
        ? mapSecretConfiguration(found.previous, catalog, (v) => sealer.open(v))
        : found.previous;
    const declaration = previous ? restoreMaskedSecrets(parsed.value, previous, catalog) : parsed.value;
    const issues = validatePipeline(declaration, catalog, scope);
    const failure = validationFailure(issues);
    if (failure) return err(failure);
    for (const warning of warningsOf(issues)) {
      deps.logger?.warn(`pipeline ${declaration.name}: ${warning.path}: ${warning.message}`, {
        code: warning.code,
      });
    }
    return ok({
      declaration: sealer ? mapSecretConfiguration(declaration, catalog, (v) => sealer.seal(v)) : declaration,
      warnings: warningsOf(issues),
    });
  }

  return {
    async create(
      scope: Scope,
      raw: unknown,
      tags: readonly Tag[],
      now: number,
    ): Promise<Result<{ view: PipelineView; tags: Tag[]; warnings: DeclarationWarning[] }, ServiceFailure>> {
      const checked = await check(scope, raw, async (name) =>
        (await stores.pipelines.get(scope, name)) ? { failure: nameInUse(scope, name) } : {},
      );
      if (!checked.ok) return checked;
      const { warnings } = checked.value;
      const arn = pipelineArn(scope, checked.value.declaration.name);
      const tagFailure = checkTags(arn, [], tags);
      if (tagFailure) return err(tagFailure);
      if ((await stores.pipelines.count(scope)) >= MAX_PIPELINES_PER_REGION) {
        return err({
          type: "LimitExceededException",
          message: `Account '${scope.accountId}' has reached the limit of ${MAX_PIPELINES_PER_REGION} pipelines in region '${scope.region}'`,
        });
      }
      const declaration = withStoredDefaults(checked.value.declaration, 1);
      const record: PipelineRecord = {
        scope,
        name: declaration.name,
        version: 1,
        declaration,
        created: now,
        updated: now,
      };
      const created = await stores.pipelines.create(record);
      if (!created.ok) return err(nameInUse(scope, declaration.name));
      const stored = mergeTags([], tags);
      if (stored.length > 0) await stores.tags.put(arn, stored);
      return ok({ view: await view(record), tags: stored, warnings });
    },

    async update(
      scope: Scope,
      raw: unknown,
      now: number,
    ): Promise<Result<{ view: PipelineView; warnings: DeclarationWarning[] }, ServiceFailure>> {
      const found: { record?: PipelineRecord } = {};
      const checked = await check(scope, raw, async (name) => {
        const record = await stores.pipelines.get(scope, name);
        if (!record) return { failure: updateNotFound(scope, name) };
        found.record = record;
        return { previous: record.declaration };
      });
      if (!checked.ok) return checked;
      const current = found.record;
      if (!current) return err(updateNotFound(scope, checked.value.declaration.name));
      const declaration = withStoredDefaults(checked.value.declaration, current.version + 1);
      const updated = await stores.pipelines.update(scope, current.name, current.version, declaration, now);
      if (!updated.ok) {
        return err(
          updated.reason === "NotFound"
            ? updateNotFound(scope, current.name)
            : {
                type: "ConcurrentModificationException",
                message: `Pipeline '${current.name}' was changed by another request while this update ran; get it again and retry`,
              },
        );
      }
      return ok({ view: await view(updated.record), warnings: checked.value.warnings });
    },

    async get(scope: Scope, name: string, version?: number): Promise<Result<PipelineView, ServiceFailure>> {
      const record = await stores.pipelines.get(scope, name, version);
      if (record) return ok(await view(record));
      if (version !== undefined && (await stores.pipelines.get(scope, name))) {
        return err({
          type: "PipelineVersionNotFoundException",
          message: `Pipeline '${name}' does not have a version ${version}`,
        });
      }
      return err(pipelineNotFound(scope, name));
    },

    list(
      scope: Scope,
      after: string | undefined,
      limit: number,
    ): Promise<{ items: PipelineSummaryRecord[]; nextAfter?: string }> {
      return stores.pipelines.list(scope, { ...(after === undefined ? {} : { after }), limit });
    },

    /** Idempotent: deleting a missing pipeline succeeds, as in AWS. Its execution history goes too. */
    async remove(scope: Scope, name: string): Promise<void> {
      await stores.pipelines.remove(scope, name);
      await stores.runs.removePipelineRuns(scope, name);
      await stores.tags.put(pipelineArn(scope, name), []);
    },

    async listTags(scope: Scope, resourceArn: string): Promise<Result<Tag[], ServiceFailure>> {
      const arn = await taggable(scope, resourceArn);
      return arn.ok ? ok(await stores.tags.get(arn.value)) : arn;
    },

    /** Adds or overwrites tags by key (at most 50 per resource, no `aws:` keys). */
    async tagResource(
      scope: Scope,
      resourceArn: string,
      tags: readonly Tag[],
    ): Promise<Result<void, ServiceFailure>> {
      const arn = await taggable(scope, resourceArn);
      if (!arn.ok) return arn;
      const existing = await stores.tags.get(arn.value);
      const failure = checkTags(arn.value, existing, tags);
      if (failure) return err(failure);
      await stores.tags.put(arn.value, mergeTags(existing, tags));
      return ok(undefined);
    },

    /** Removing a key that is not there is a no-op, as in AWS. */
    async untagResource(
      scope: Scope,
      resourceArn: string,
      keys: readonly string[],
    ): Promise<Result<void, ServiceFailure>> {
      const arn = await taggable(scope, resourceArn);
      if (!arn.ok) return arn;
      if (keys.some((k) => k.toLowerCase().startsWith("aws:"))) return err(systemTagFailure);
      const existing = await stores.tags.get(arn.value);
      await stores.tags.put(
        arn.value,
        existing.filter((t) => !keys.includes(t.key)),
      );
      return ok(undefined);
    },
  };

  /** Resolves a tag operation's ARN to an existing pipeline of the caller's scope. */
  async function taggable(scope: Scope, resourceArn: string): Promise<Result<string, ServiceFailure>> {
    const parsed = parseCodePipelineArn(resourceArn);
    if (!parsed) {
      return err({
        type: "InvalidArnException",
        message: `The ARN '${resourceArn}' is not a valid CodePipeline resource ARN; use arn:aws:codepipeline:<region>:<account>:<pipeline-name>`,
      });
    }
    const name = parsed.resource;
    const sameScope = parsed.region === scope.region && parsed.accountId === scope.accountId;
    if (!sameScope || !(await stores.pipelines.get(scope, name))) {
      return err({
        type: "ResourceNotFoundException",
        message: `The account with id '${parsed.accountId}' does not include a pipeline with the name '${name}'`,
      });
    }
    return ok(pipelineArn(scope, name));
  }
}

export type PipelineDefinitions = ReturnType<typeof createPipelineDefinitions>;

export function pipelineNotFound(scope: Scope, name: string): ServiceFailure {
  return {
    type: "PipelineNotFoundException",
    message: `Account '${scope.accountId}' does not have a pipeline with name '${name}'`,
  };
}

function updateNotFound(scope: Scope, name: string): ServiceFailure {
  return {
    type: "ResourceNotFoundException",
    message: `The account with id '${scope.accountId}' does not include a pipeline with the name '${name}'`,
  };
}

function nameInUse(scope: Scope, name: string): ServiceFailure {
  return {
    type: "InvalidStructureException",
    message: `A pipeline with the name '${name}' already exists in account '${scope.accountId}'`,
  };
}

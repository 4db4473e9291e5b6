import { bool, int, list, optional, string, struct } from "../../../lib/shape.js";
import type { SecretWithVersions } from "../../../runtime/secrets/secrets.js";
import type { Scope } from "../../../store/types.js";
import { fromFailure } from "../../errors.js";
import { defineOperation } from "../../operation.js";
import { decodeNextToken, encodeNextToken, epochSeconds } from "../../pagination.js";
import type { SecretsManagerDeps } from "../deps.js";
import { renderSecret } from "../render.js";
import { secretId } from "../shapes.js";

const filterKeys = [
  "description",
  "name",
  "tag-key",
  "tag-value",
  "primary-region",
  "owning-service",
  "all",
] as const;

/**
 * ListSecrets: the scope's secrets (scheduled ones only with IncludePlannedDeletion), in name
 * order; SortBy/SortOrder other than name ascending sort the whole filtered list first.
 */
export const listSecrets = (deps: SecretsManagerDeps) =>
  defineOperation({
    name: "ListSecrets",
    input: struct({
      IncludePlannedDeletion: optional(bool()),
      MaxResults: optional(int({ min: 1, max: 100 })),
      NextToken: optional(string({ min: 1, max: 4096 })),
      Filters: optional(
        list(
          struct({
            Key: optional(string({ enum: filterKeys })),
            Values: optional(list(string({ max: 512 }), { min: 1, max: 10 })),
          }),
          { max: 10 },
        ),
      ),
      SortOrder: optional(string({ enum: ["asc", "desc"] as const })),
      SortBy: optional(
        string({ enum: ["created-date", "last-accessed-date", "last-changed-date", "name"] as const }),
      ),
    }),
    async handle(input, ctx) {
      const limit = input.MaxResults ?? 100;
      const includePlannedDeletion = input.IncludePlannedDeletion ?? false;
      const matches = (s: SecretWithVersions) => (input.Filters ?? []).every((f) => filterMatches(s, f));
      const byName = (input.SortBy ?? "name") === "name" && (input.SortOrder ?? "asc") === "asc";
      if (byName) {
        // Walk the store's name order from the token until a page is full.
        const items: SecretWithVersions[] = [];
        let after = decodeNextToken("ListSecrets", input.NextToken);
        while (items.length < limit) {
          const page = await deps.secrets.list(
            ctx.scope,
            {
              ...(after === undefined ? {} : { after }),
              limit: limit - items.length,
              includePlannedDeletion,
            },
            ctx.now,
          );
          items.push(...page.items.filter(matches));
          after = page.nextAfter;
          if (after === undefined) break;
        }
        return {
          SecretList: items.map((s) => renderSecret(s, "SecretVersionsToStages")),
          ...(after === undefined ? {} : { NextToken: encodeNextToken("ListSecrets", after) }),
        };
      }
      const all = (await everySecret(deps, ctx.scope, includePlannedDeletion, ctx.now)).filter(matches);
      const key = (s: SecretWithVersions) =>
        input.SortBy === "created-date" ? s.record.created : s.record.lastChanged;
      all.sort((a, b) => key(a) - key(b) || (a.record.name < b.record.name ? -1 : 1));
      if (input.SortOrder === "desc") all.reverse();
      const kind = `ListSecrets:${input.SortBy ?? "name"}:${input.SortOrder ?? "asc"}`;
      const offset = Number(decodeNextToken(kind, input.NextToken) ?? "0");
      const page = all.slice(offset, offset + limit);
      return {
        SecretList: page.map((s) => renderSecret(s, "SecretVersionsToStages")),
        ...(offset + limit < all.length ? { NextToken: encodeNextToken(kind, String(offset + limit)) } : {}),
      };
    },
  });

/** ListSecretVersionIds: the versions that carry labels, or (IncludeDeprecated) all kept ones. */
export const listSecretVersionIds = (deps: SecretsManagerDeps) =>
  defineOperation({
    name: "ListSecretVersionIds",
    input: struct({
      SecretId: secretId,
      MaxResults: optional(int({ min: 1, max: 100 })),
      NextToken: optional(string({ min: 1, max: 4096 })),
      IncludeDeprecated: optional(bool()),
    }),
    async handle(input, ctx) {
      const described = await deps.secrets.describe(ctx.scope, input.SecretId, ctx.now);
      if (!described.ok) throw fromFailure(described.error);
      const { record, versions } = described.value;
      const kept = versions.filter((v) => input.IncludeDeprecated || v.stages.length > 0);
      const kind = `ListSecretVersionIds:${record.arn}`;
      const offset = Number(decodeNextToken(kind, input.NextToken) ?? "0");
      const limit = input.MaxResults ?? 100;
      return {
        Versions: kept.slice(offset, offset + limit).map((v) => ({
          VersionId: v.versionId,
          VersionStages: v.stages,
          CreatedDate: epochSeconds(v.created),
        })),
        ...(offset + limit < kept.length ? { NextToken: encodeNextToken(kind, String(offset + limit)) } : {}),
        ARN: record.arn,
        Name: record.name,
      };
    },
  });

async function everySecret(
  deps: SecretsManagerDeps,
  scope: Scope,
  includePlannedDeletion: boolean,
  now: number,
): Promise<SecretWithVersions[]> {
  const all: SecretWithVersions[] = [];
  let after: string | undefined;
  do {
    const page = await deps.secrets.list(
      scope,
      { ...(after === undefined ? {} : { after }), limit: 100, includePlannedDeletion },
      now,
    );
    all.push(...page.items);
    after = page.nextAfter;
  } while (after !== undefined);
  return all;
}

/**
 * AWS's ListSecrets filters: each value is a case-insensitive prefix; a value starting with `!`
 * excludes what it matches. A filter matches when any of its values does (after exclusions).
 */
function filterMatches(
  { record }: SecretWithVersions,
  filter: { Key?: (typeof filterKeys)[number]; Values?: string[] },
): boolean {
  const fields = (key: string | undefined): string[] => {
    switch (key) {
      case "name":
        return [record.name];
      case "description":
        return record.description === undefined ? [] : [record.description];
      case "tag-key":
        return record.tags.map((t) => t.Key);
      case "tag-value":
        return record.tags.map((t) => t.Value);
      case "all":
        return [record.name, record.description ?? "", ...record.tags.flatMap((t) => [t.Key, t.Value])];
      default:
        // primary-region, owning-service: no secret here is replicated or owned by a service.
        return [];
    }
  };
  const candidates = fields(filter.Key).map((f) => f.toLowerCase());
  const values = filter.Values ?? [];
  const hit = (value: string) => candidates.some((c) => c.startsWith(value.toLowerCase()));
  const negated = values.filter((v) => v.startsWith("!")).map((v) => v.slice(1));
  const positive = values.filter((v) => !v.startsWith("!"));
  if (negated.some(hit)) return false;
  return positive.length === 0 || positive.some(hit);
}

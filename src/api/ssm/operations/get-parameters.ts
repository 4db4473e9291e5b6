import { bool, int, list, optional, string, struct } from "../../../lib/shape.js";
import type { ParameterRecord } from "../../../store/types.js";
import { apiError, fromFailure } from "../../errors.js";
import { defineOperation } from "../../operation.js";
import type { SsmDeps } from "../deps.js";
import { parameterFilters, recordMatches } from "../filters.js";
import { parameterValue, renderHistory, renderParameter } from "../render.js";
import { decodeSsmToken, encodeSsmToken } from "../tokens.js";

const name = string({ min: 1, max: 2048 });

/** GetParameter: one parameter, `name` or `name:version`. */
export const getParameter = (deps: SsmDeps) =>
  defineOperation({
    name: "GetParameter",
    input: struct({ Name: name, WithDecryption: optional(bool()) }),
    async handle(input, ctx) {
      const found = await deps.parameters.get(ctx.scope, input.Name);
      if (!found.ok) throw fromFailure(found.error);
      const { record, selector } = found.value;
      const value = parameterValue(deps.parameters, record, input.WithDecryption ?? false);
      return { Parameter: renderParameter(record, value, selector) };
    },
  });

/** GetParameters: up to 10 names; the ones that do not resolve come back in InvalidParameters. */
export const getParameters = (deps: SsmDeps) =>
  defineOperation({
    name: "GetParameters",
    input: struct({ Names: list(name, { min: 1, max: 10 }), WithDecryption: optional(bool()) }),
    async handle(input, ctx) {
      const Parameters: ReturnType<typeof renderParameter>[] = [];
      const InvalidParameters: string[] = [];
      for (const reference of new Set(input.Names)) {
        const found = await deps.parameters.get(ctx.scope, reference);
        if (!found.ok) {
          InvalidParameters.push(reference);
          continue;
        }
        const { record, selector } = found.value;
        const value = parameterValue(deps.parameters, record, input.WithDecryption ?? false);
        Parameters.push(renderParameter(record, value, selector));
      }
      return { Parameters, InvalidParameters };
    },
  });

/** GetParametersByPath: the parameters under a path, one level or (Recursive) all below it. */
export const getParametersByPath = (deps: SsmDeps) =>
  defineOperation({
    name: "GetParametersByPath",
    input: struct({
      Path: name,
      Recursive: optional(bool()),
      ParameterFilters: optional(parameterFilters),
      WithDecryption: optional(bool()),
      MaxResults: optional(int({ min: 1, max: 10 })),
      NextToken: optional(string()),
    }),
    async handle(input, ctx) {
      const path = input.Path;
      if (!/^\/([a-zA-Z0-9_.-]+\/)*[a-zA-Z0-9_.-]*$/u.test(path)) throw invalidPath(path);
      for (const filter of input.ParameterFilters ?? []) {
        if (!["Type", "KeyId", "Label"].includes(filter.Key) && !filter.Key.startsWith("tag:")) {
          throw apiError(
            "ValidationException",
            `The following filter key is not valid: ${filter.Key}. Valid filter keys include: [Type, KeyId].`,
          );
        }
      }
      const prefix = path.endsWith("/") ? path : `${path}/`;
      const underPath = (r: ParameterRecord) =>
        (input.Recursive ?? false) || !r.name.slice(prefix.length).includes("/");
      const page = await collect(
        deps,
        ctx.scope,
        {
          prefix,
          after: decodeSsmToken("GetParametersByPath", input.NextToken),
          limit: input.MaxResults ?? 10,
        },
        (r) => underPath(r) && recordMatches(r, input.ParameterFilters ?? []),
      );
      return {
        Parameters: page.items.map((r) =>
          renderParameter(r, parameterValue(deps.parameters, r, input.WithDecryption ?? false)),
        ),
        ...(page.nextAfter === undefined
          ? {}
          : { NextToken: encodeSsmToken("GetParametersByPath", page.nextAfter) }),
      };
    },
  });

/** GetParameterHistory: every kept version, oldest first. */
export const getParameterHistory = (deps: SsmDeps) =>
  defineOperation({
    name: "GetParameterHistory",
    input: struct({
      Name: name,
      WithDecryption: optional(bool()),
      MaxResults: optional(int({ min: 1, max: 50 })),
      NextToken: optional(string()),
    }),
    async handle(input, ctx) {
      const history = await deps.parameters.history(ctx.scope, input.Name);
      if (!history.ok) throw fromFailure(history.error);
      const after = Number(decodeSsmToken(`GetParameterHistory:${input.Name}`, input.NextToken) ?? "0");
      const limit = input.MaxResults ?? 50;
      const rest = history.value.filter((r) => r.version > after);
      const page = rest.slice(0, limit);
      const withDecryption = input.WithDecryption ?? false;
      return {
        Parameters: page.map((r) => renderHistory(r, parameterValue(deps.parameters, r, withDecryption))),
        ...(rest.length > limit
          ? { NextToken: encodeSsmToken(`GetParameterHistory:${input.Name}`, String(page.at(-1)!.version)) }
          : {}),
      };
    },
  });

/**
 * Up to `limit` current parameters that `match`, walking the store's name order from `after`.
 * `nextAfter` is the last one returned when more parameters (matching or not) follow it.
 */
export async function collect(
  deps: SsmDeps,
  scope: Parameters<SsmDeps["parameters"]["list"]>[0],
  options: { prefix?: string; after: string | undefined; limit: number },
  match: (record: ParameterRecord) => boolean,
): Promise<{ items: ParameterRecord[]; nextAfter?: string }> {
  const items: ParameterRecord[] = [];
  let cursor = options.after;
  for (;;) {
    const page = await deps.parameters.list(scope, {
      ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
      ...(cursor === undefined ? {} : { after: cursor }),
      limit: 50,
    });
    for (const [i, record] of page.items.entries()) {
      if (!match(record)) continue;
      items.push(record);
      const more = i < page.items.length - 1 || page.nextAfter !== undefined;
      if (items.length === options.limit) return more ? { items, nextAfter: record.name } : { items };
    }
    if (page.nextAfter === undefined) return { items };
    cursor = page.nextAfter;
  }
}

function invalidPath(path: string) {
  return apiError(
    "ValidationException",
    `The parameter doesn't meet the parameter name requirements. The parameter name must begin with a forward slash "/". It can't be prefixed with "aws" or "ssm" (case-insensitive). It must use only letters, numbers, or the following symbols: . (period), - (hyphen), _ (underscore). Special characters are not allowed. All sub-paths, if specified, must use the forward slash symbol "/". Valid example: /get/parameters2-/by1./path0_. Invalid parameter name: ${path}`,
  );
}

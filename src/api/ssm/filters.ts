import { type Infer, list, optional, string, struct } from "../../lib/shape.js";
import type { ParameterRecord } from "../../store/types.js";
import { apiError } from "../errors.js";

/** ParameterStringFilter: `{Key, Option?, Values?}` (DescribeParameters, GetParametersByPath). */
export const parameterFilters = list(
  struct({
    Key: string({ min: 1, max: 132, pattern: "tag:.+|Name|Type|KeyId|Path|Label|Tier|DataType" }),
    Option: optional(string({ min: 1, max: 10 })),
    Values: optional(list(string({ min: 1, max: 1024 }), { min: 1, max: 50 })),
  }),
);
export type ParameterFilter = Infer<typeof parameterFilters>[number];

/** The legacy ParametersFilter: `{Key: Name|Type|KeyId, Values}`. */
export const legacyFilters = list(
  struct({
    Key: string({ enum: ["Name", "Type", "KeyId"] as const }),
    Values: list(string({ min: 1, max: 1024 }), { min: 1, max: 50 }),
  }),
);

const OPTIONS: Record<string, readonly string[]> = {
  Name: ["Equals", "BeginsWith", "Contains"],
  Path: ["Recursive", "OneLevel"],
  Type: ["Equals"],
  KeyId: ["Equals"],
  Tier: ["Equals"],
  DataType: ["Equals"],
};

/** DescribeParameters' checks on ParameterFilters, with AWS's messages. */
export function checkDescribeFilters(filters: readonly ParameterFilter[]): void {
  const seen = new Set<string>();
  for (const filter of filters) {
    if (filter.Key === "Label") {
      throw apiError(
        "ValidationException",
        "The following filter key is not valid: Label. Valid filter keys include: [Path, Name, Type, KeyId, Tier].",
      );
    }
    if (seen.has(filter.Key)) {
      throw apiError(
        "ValidationException",
        `The following filter is duplicated in the request: ${filter.Key}. A request can contain only one occurrence of a specific filter.`,
      );
    }
    seen.add(filter.Key);
    if (!filter.Key.startsWith("tag:") && (filter.Values ?? []).length === 0) {
      throw apiError(
        "ValidationException",
        `The following filter values are missing : null for filter key ${filter.Key}`,
      );
    }
    const options = OPTIONS[filter.Key] ?? ["Equals"];
    if (filter.Option !== undefined && !options.includes(filter.Option)) {
      throw apiError(
        "ValidationException",
        `The following filter option is not valid: ${filter.Option}. Valid options include: [${options.join(", ")}].`,
      );
    }
  }
}

/** Whether a parameter passes every filter (each filter: any of its values). */
export function recordMatches(record: ParameterRecord, filters: readonly ParameterFilter[]): boolean {
  return filters.every((filter) => {
    const values = filter.Values ?? [];
    if (filter.Key.startsWith("tag:")) {
      const tag = record.tags.find((t) => t.Key === filter.Key.slice(4));
      return tag !== undefined && (values.length === 0 || values.includes(tag.Value));
    }
    switch (filter.Key) {
      case "Name":
        return values.some((v) => nameMatches(record.name, v, filter.Option ?? "Equals"));
      case "Path":
        return values.some((v) => underPath(record.name, v, filter.Option === "Recursive"));
      case "Type":
        return values.includes(record.type);
      case "KeyId":
        return record.keyId !== undefined && values.includes(record.keyId);
      case "Tier":
        return values.includes(record.tier);
      case "DataType":
        return values.includes(record.dataType);
      default:
        // Label: Pipewright keeps no labels, so nothing carries one.
        return false;
    }
  });
}

/** The legacy filters: Name is a prefix match (as AWS's old Filters), Type and KeyId equal. */
export function legacyMatches(record: ParameterRecord, filters: Infer<typeof legacyFilters>): boolean {
  return filters.every((filter) => {
    if (filter.Key === "Name") return filter.Values.some((v) => record.name.startsWith(v));
    if (filter.Key === "Type") return filter.Values.includes(record.type);
    return record.keyId !== undefined && filter.Values.includes(record.keyId);
  });
}

function nameMatches(name: string, value: string, option: string): boolean {
  // AWS matches names with or without their leading slash.
  const candidates = [value, value.startsWith("/") ? value.slice(1) : `/${value}`];
  if (option === "BeginsWith") return candidates.some((c) => name.startsWith(c));
  if (option === "Contains") return name.includes(value);
  return candidates.includes(name);
}

function underPath(name: string, path: string, recursive: boolean): boolean {
  const prefix = path.endsWith("/") ? path : `${path}/`;
  if (!name.startsWith(prefix)) return false;
  return recursive || !name.slice(prefix.length).includes("/");
}

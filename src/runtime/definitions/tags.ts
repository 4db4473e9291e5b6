import type { Tag } from "../../model/declaration.js";
import type { ServiceFailure } from "../../model/exceptions.js";

export const MAX_TAGS = 50;

export const systemTagFailure: ServiceFailure = {
  type: "InvalidTagsException",
  message:
    "Not allowed to modify system tags. System tags start with 'aws:'. msg=[Caller is an end user and not allowed to mutate system tags]",
};

/** AWS's checks on tags being added to a resource that already has `existing`. */
export function checkTags(
  resourceArn: string,
  existing: readonly Tag[],
  added: readonly Tag[],
): ServiceFailure | undefined {
  if (added.some((t) => t.key.toLowerCase().startsWith("aws:"))) return systemTagFailure;
  const keys = new Set(existing.map((t) => t.key));
  for (const t of added) keys.add(t.key);
  if (keys.size > MAX_TAGS) {
    return { type: "TooManyTagsException", message: `Tag limit exceeded for resource [${resourceArn}].` };
  }
  return undefined;
}

/** Adds or overwrites tags by key; the result is sorted by key. */
export function mergeTags(existing: readonly Tag[], added: readonly Tag[]): Tag[] {
  const byKey = new Map(existing.map((t) => [t.key, t.value]));
  for (const t of added) byKey.set(t.key, t.value);
  return [...byKey]
    .map(([key, value]) => ({ key, value }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

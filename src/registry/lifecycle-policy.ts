import { err, ok, type Result } from "../lib/result.js";

/**
 * ECR lifecycle policies (pure): parsing the policy text and deciding which images expire.
 * Semantics, from ECR's user guide: rules run in rulePriority order (lowest first); an image that
 * matches a rule's selection belongs to that rule and no lower-priority rule sees it, whether or
 * not it expires; `imageCountMoreThan` keeps the N most recently pushed of its images,
 * `sinceImagePushed` expires those pushed more than N days ago; a rule selecting `any` must have
 * the highest rulePriority. Several tagPrefixList / tagPatternList entries must all match.
 */
export interface LifecycleRule {
  readonly rulePriority: number;
  readonly description?: string;
  readonly tagStatus: "tagged" | "untagged" | "any";
  readonly tagPrefixList: readonly string[];
  readonly tagPatternList: readonly string[];
  readonly countType: "imageCountMoreThan" | "sinceImagePushed";
  readonly countNumber: number;
}

export interface LifecyclePolicy {
  readonly rules: readonly LifecycleRule[];
}

export interface LifecycleImage {
  readonly digest: string;
  readonly tags: readonly string[];
  readonly pushedAt: number;
}

const DAY_MS = 24 * 3600 * 1000;

/** Parses a policy; the error is the reason ECR's InvalidParameterException would give. */
export function parseLifecyclePolicy(text: string): Result<LifecyclePolicy, string> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return err("the policy is not valid JSON");
  }
  const rules = (json as { rules?: unknown } | null)?.rules;
  if (!Array.isArray(rules) || rules.length === 0)
    return err("the policy must have a non-empty 'rules' list");
  const out: LifecycleRule[] = [];
  for (const [i, raw] of rules.entries()) {
    const rule = parseRule(raw, i);
    if (!rule.ok) return rule;
    out.push(rule.value);
  }
  const priorities = out.map((r) => r.rulePriority);
  if (new Set(priorities).size !== priorities.length) return err("rulePriority values must be unique");
  const sorted = [...out].sort((a, b) => a.rulePriority - b.rulePriority);
  const anyRule = sorted.findIndex((r) => r.tagStatus === "any");
  if (anyRule >= 0 && anyRule !== sorted.length - 1)
    return err("a rule with tagStatus 'any' must have the highest rulePriority");
  return ok({ rules: sorted });
}

function parseRule(raw: unknown, i: number): Result<LifecycleRule, string> {
  const at = `rules[${i}]`;
  if (typeof raw !== "object" || raw === null) return err(`${at} must be an object`);
  const r = raw as Record<string, unknown>;
  const s = (r.selection ?? {}) as Record<string, unknown>;
  const action = (r.action ?? {}) as Record<string, unknown>;
  if (!Number.isInteger(r.rulePriority) || (r.rulePriority as number) < 1)
    return err(`${at}.rulePriority must be a positive integer`);
  if (action.type !== "expire") return err(`${at}.action.type must be 'expire'`);
  if (s.tagStatus !== "tagged" && s.tagStatus !== "untagged" && s.tagStatus !== "any")
    return err(`${at}.selection.tagStatus must be tagged, untagged or any`);
  const prefixes = strings(s.tagPrefixList);
  const patterns = strings(s.tagPatternList);
  if (prefixes === undefined || patterns === undefined)
    return err(`${at}.selection.tagPrefixList and tagPatternList must be lists of strings`);
  if (s.tagStatus === "tagged" && prefixes.length === 0 && patterns.length === 0)
    return err(`${at}: a tagged selection needs a tagPrefixList or a tagPatternList`);
  if (s.tagStatus !== "tagged" && (prefixes.length > 0 || patterns.length > 0))
    return err(`${at}: tagPrefixList and tagPatternList apply only to tagStatus tagged`);
  if (s.countType !== "imageCountMoreThan" && s.countType !== "sinceImagePushed")
    return err(`${at}.selection.countType must be imageCountMoreThan or sinceImagePushed`);
  if (s.countType === "sinceImagePushed" && s.countUnit !== "days")
    return err(`${at}.selection.countUnit must be 'days' with sinceImagePushed`);
  if (!Number.isInteger(s.countNumber) || (s.countNumber as number) < 1)
    return err(`${at}.selection.countNumber must be a positive integer`);
  return ok({
    rulePriority: r.rulePriority as number,
    ...(typeof r.description === "string" ? { description: r.description } : {}),
    tagStatus: s.tagStatus,
    tagPrefixList: prefixes,
    tagPatternList: patterns,
    countType: s.countType,
    countNumber: s.countNumber as number,
  });
}

function strings(value: unknown): string[] | undefined {
  if (value === undefined) return [];
  return Array.isArray(value) && value.every((v) => typeof v === "string") ? value : undefined;
}

/** The digests the policy expires now, each with the priority of the rule that expires it. */
export function planExpiry(
  policy: LifecyclePolicy,
  images: readonly LifecycleImage[],
  now: number,
): { digest: string; rulePriority: number }[] {
  const claimed = new Set<string>();
  const expired: { digest: string; rulePriority: number }[] = [];
  for (const rule of policy.rules) {
    const selected = images.filter((image) => !claimed.has(image.digest) && selects(rule, image));
    for (const image of selected) claimed.add(image.digest);
    const newestFirst = [...selected].sort(
      (a, b) => b.pushedAt - a.pushedAt || a.digest.localeCompare(b.digest),
    );
    const going =
      rule.countType === "imageCountMoreThan"
        ? newestFirst.slice(rule.countNumber)
        : newestFirst.filter((image) => now - image.pushedAt > rule.countNumber * DAY_MS);
    for (const image of going) expired.push({ digest: image.digest, rulePriority: rule.rulePriority });
  }
  return expired;
}

function selects(rule: LifecycleRule, image: LifecycleImage): boolean {
  if (rule.tagStatus === "any") return true;
  if (rule.tagStatus === "untagged") return image.tags.length === 0;
  if (image.tags.length === 0) return false;
  return (
    rule.tagPrefixList.every((prefix) => image.tags.some((t) => t.startsWith(prefix))) &&
    rule.tagPatternList.every((pattern) => image.tags.some((t) => wildcard(pattern).test(t)))
  );
}

function wildcard(pattern: string): RegExp {
  return new RegExp(`^${pattern.split("*").map(escapeRegExp).join(".*")}$`, "u");
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/gu, "\\$&");
}

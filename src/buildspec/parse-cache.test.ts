import { describe, expect, it } from "vitest";
import { errors, onlyError, parsed, withBuild } from "./testing/parse-helpers.js";

describe("parseBuildspec: cache", () => {
  it("reads every cache key", () => {
    const { buildspec } = parsed(
      withBuild(
        "cache:",
        "  key: npm-$(codebuild-hash-files package-lock.json)",
        "  fallback-keys:",
        "    - npm-",
        "  action: restore",
        "  paths:",
        "    - '/root/.npm/**/*'",
      ),
    );
    expect(buildspec.cache).toEqual({
      paths: ["/root/.npm/**/*"],
      key: "npm-$(codebuild-hash-files package-lock.json)",
      fallbackKeys: ["npm-"],
      action: "restore",
    });
  });

  it("requires non-empty paths", () => {
    expect(onlyError(withBuild("cache:", "  key: k"))).toBe(
      "6:1 cache: cache has no paths list; add paths: with the directories to cache, e.g. - '/root/.m2/**/*'",
    );
    expect(onlyError(withBuild("cache:", "  paths:"))).toBe(
      "7:3 cache.paths: cache.paths is empty; list at least one directory or glob to cache",
    );
  });

  it("allows at most five fallback keys and only restore or save", () => {
    const found = errors(
      withBuild(
        "cache:",
        "  paths: [a]",
        "  key: k",
        "  fallback-keys: [a, b, c, d, e, f]",
        "  action: both",
      ),
    );
    expect(found.map((e) => e.message)).toEqual([
      "cache.fallback-keys lists 6 keys; CodeBuild tries at most 5, so remove some",
      'cache.action must be restore or save, found "both"; leave it out to restore and save',
    ]);
  });

  it("warns that fallback keys without a key are ignored", () => {
    const { warnings } = parsed(withBuild("cache:", "  paths: [a]", "  fallback-keys: [npm-]"));
    expect(warnings.map((w) => w.message)).toEqual([
      "cache.fallback-keys is ignored without cache.key; add a key",
    ]);
  });
});

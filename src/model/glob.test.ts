import { describe, expect, it } from "vitest";
import { compileGlob, passesFilter } from "./glob.js";

describe("trigger globs (Java PathMatcher syntax)", () => {
  it.each([
    ["*.java", "Main.java", true],
    ["*.java", "src/Main.java", false],
    ["**/*.java", "src/Main.java", true],
    ["**/README.md", "docs/README.md", true],
    ["**/README.md", "README.md", false],
    ["**", "a/b/c", true],
    ["feature/**", "feature/login/v2", true],
    ["feature/*", "feature/login/v2", false],
    ["release-v?", "release-v1", true],
    ["release-v?", "release-v10", false],
    ["*.{java,class}", "A.class", true],
    ["*.{java,class}", "A.kt", false],
    ["v[0-9].*", "v2.1", true],
    ["v[!0-9].*", "v2.1", false],
    ["main", "mainline", false],
    ["a\\*b", "a*b", true],
    ["a\\*b", "axb", false],
    ["projectA/**", "projectA/src/x.ts", true],
    ["common/**/*.js", "common/lib/a/b.js", true],
  ])("%s against %s is %s", (pattern, value, expected) => {
    expect(compileGlob(pattern).test(value)).toBe(expected);
  });

  it("lets excludes win over includes, and treats no includes as everything", () => {
    expect(passesFilter("release/1", { includes: ["release/**"], excludes: ["release/1"] })).toBe(false);
    expect(passesFilter("release/2", { includes: ["release/**"], excludes: ["release/1"] })).toBe(true);
    expect(passesFilter("anything", { excludes: ["main"] })).toBe(true);
    expect(passesFilter("main", { excludes: ["main"] })).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { type ArtifactPattern, compileArtifactPattern } from "./artifact-glob.js";

function compile(pattern: string): ArtifactPattern {
  const result = compileArtifactPattern(pattern);
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

const files = [
  "README.md",
  ".env",
  "appspec.yml",
  "dist/app.js",
  "dist/app.js.map",
  "dist/.hidden",
  "dist/js/vendor.js",
  "dist/js/lib/deep.js",
  "dist-old/app.js",
  "scripts/start.sh",
  "scripts/stop.sh",
  "scripts/lib/common.sh",
  "target/app-1.0.jar",
  "target/app-1.0-sources.jar",
  "a/b/c/d.txt",
];

const matching = (pattern: string) => files.filter((file) => compile(pattern).matches(file));

describe("compileArtifactPattern", () => {
  const table: [string, string[]][] = [
    ["**/*", files],
    ["*", ["README.md", ".env", "appspec.yml"]],
    ["dist/*", ["dist/app.js", "dist/app.js.map", "dist/.hidden"]],
    [
      "dist/**/*",
      ["dist/app.js", "dist/app.js.map", "dist/.hidden", "dist/js/vendor.js", "dist/js/lib/deep.js"],
    ],
    [
      "dist/**",
      ["dist/app.js", "dist/app.js.map", "dist/.hidden", "dist/js/vendor.js", "dist/js/lib/deep.js"],
    ],
    ["**/*.js", ["dist/app.js", "dist/js/vendor.js", "dist/js/lib/deep.js", "dist-old/app.js"]],
    ["dist/**/*.js", ["dist/app.js", "dist/js/vendor.js", "dist/js/lib/deep.js"]],
    ["**/lib/*", ["dist/js/lib/deep.js", "scripts/lib/common.sh"]],
    ["scripts/*.sh", ["scripts/start.sh", "scripts/stop.sh"]],
    ["scripts/st?p.sh", ["scripts/stop.sh"]],
    ["scripts/[s]t[a-o]*.sh", ["scripts/start.sh", "scripts/stop.sh"]],
    ["scripts/st[!a]*", ["scripts/stop.sh"]],
    ["scripts/st[^a]*", ["scripts/stop.sh"]],
    ["target/*[0-9].jar", ["target/app-1.0.jar"]],
    ["dist*/app.js", ["dist/app.js", "dist-old/app.js"]],
    ["a/**/d.txt", ["a/b/c/d.txt"]],
    ["a/**/b/**/d.txt", ["a/b/c/d.txt"]],
    ["a/b**/d.txt", []],
    [
      "*/*",
      [
        "dist/app.js",
        "dist/app.js.map",
        "dist/.hidden",
        "dist-old/app.js",
        "scripts/start.sh",
        "scripts/stop.sh",
        "target/app-1.0.jar",
        "target/app-1.0-sources.jar",
      ],
    ],
    // Plain paths: the file itself, or everything below a directory.
    ["appspec.yml", ["appspec.yml"]],
    ["dist", ["dist/app.js", "dist/app.js.map", "dist/.hidden", "dist/js/vendor.js", "dist/js/lib/deep.js"]],
    ["dist/", ["dist/app.js", "dist/app.js.map", "dist/.hidden", "dist/js/vendor.js", "dist/js/lib/deep.js"]],
    ["./scripts/lib", ["scripts/lib/common.sh"]],
    ["dis", []],
    [".", files],
  ];
  for (const [pattern, expected] of table) {
    it(`'${pattern}' matches ${expected.length === files.length ? "every file" : JSON.stringify(expected)}`, () => {
      expect(matching(pattern)).toEqual(expected);
    });
  }

  it("splits off the literal prefix and how deep matches can go", () => {
    expect(compile("dist/js/*.js")).toMatchObject({
      literalPrefix: "dist/js",
      plainPath: false,
      depthBelowPrefix: 1,
    });
    expect(compile("dist/**/*")).toMatchObject({
      literalPrefix: "dist",
      depthBelowPrefix: Number.POSITIVE_INFINITY,
    });
    expect(compile("**/*")).toMatchObject({ literalPrefix: "", depthBelowPrefix: Number.POSITIVE_INFINITY });
    expect(compile("./out//x.txt")).toMatchObject({
      literalPrefix: "out/x.txt",
      plainPath: true,
      pattern: "out/x.txt",
    });
    expect(compile("../shared/*")).toMatchObject({ literalPrefix: "../shared", absolute: false });
  });

  it("keeps absolute patterns absolute", () => {
    const pattern = compile("/root/.m2/**/*");
    expect(pattern).toMatchObject({ absolute: true, literalPrefix: "/root/.m2" });
    expect(pattern.matches("/root/.m2/repository/a.jar")).toBe(true);
    expect(pattern.matches("root/.m2/repository/a.jar")).toBe(false);
    expect(pattern.matchesBelowPrefix("repository/a.jar")).toBe(true);
  });

  it("treats escaped wildcards as literal characters", () => {
    const pattern = compile("weird/\\*name\\?.txt");
    expect(pattern).toMatchObject({ plainPath: true, literalPrefix: "weird/*name?.txt" });
    expect(pattern.matches("weird/*name?.txt")).toBe(true);
    expect(pattern.matches("weird/xname?.txt")).toBe(false);
    expect(compile("a/\\[x]/*").matches("a/[x]/f")).toBe(true);
  });

  it("never lets a wildcard or class match the separator", () => {
    expect(compile("a?b").matches("a/b")).toBe(false);
    expect(compileArtifactPattern("a[/]b").ok).toBe(false); // the class is cut by the separator
    expect(compile("a[!x]b").matches("a/b")).toBe(false);
    expect(compile("a*").matches("a/b")).toBe(false);
  });

  it("escapes regular expression syntax in names", () => {
    expect(compile("v1.0+(beta)/$x^.txt").matches("v1.0+(beta)/$x^.txt")).toBe(true);
    expect(compile("v1.0+(beta)/*.txt").matches("v1x0+(beta)/a.txt")).toBe(false);
    expect(compile("file[.]txt").matches("file.txt")).toBe(true);
    expect(compile("file[.]txt").matches("filextxt")).toBe(false);
  });

  it("rejects empty patterns and unterminated classes, naming the pattern", () => {
    expect(compileArtifactPattern("")).toEqual({ ok: false, error: "empty file pattern ''" });
    expect(compileArtifactPattern("dist/[ab")).toEqual({
      ok: false,
      error: "file pattern 'dist/[ab': unterminated character class in '[ab'",
    });
  });
});

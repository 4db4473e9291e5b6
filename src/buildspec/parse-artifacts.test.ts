import { describe, expect, it } from "vitest";
import { errors, onlyError, parsed, withBuild } from "./testing/parse-helpers.js";

describe("parseBuildspec: artifacts", () => {
  it("reads every artifacts key and secondary artifacts in order", () => {
    const { buildspec } = parsed(
      withBuild(
        "artifacts:",
        "  files: imagedefinitions.json",
        "  name: web-$(date +%Y-%m-%d)",
        "  base-directory: out",
        "  exclude-paths: '**/*.map'",
        "  s3-prefix: builds",
        "  secondary-artifacts:",
        "    api:",
        "      files:",
        "        - '**/*'",
        "      discard-paths: yes",
        "    docs_site:",
        "      files: [index.html]",
      ),
    );
    expect(buildspec.artifacts).toEqual({
      files: ["imagedefinitions.json"],
      name: "web-$(date +%Y-%m-%d)",
      baseDirectory: "out",
      excludePaths: ["**/*.map"],
      s3Prefix: "builds",
      discardPaths: false,
      enableSymlinks: false,
      secondary: [
        {
          identifier: "api",
          spec: { files: ["**/*"], discardPaths: true, excludePaths: [], enableSymlinks: false },
        },
        {
          identifier: "docs_site",
          spec: { files: ["index.html"], discardPaths: false, excludePaths: [], enableSymlinks: false },
        },
      ],
    });
  });

  it("requires files even with only secondary artifacts", () => {
    expect(onlyError(withBuild("artifacts:", "  secondary-artifacts:", "    api:", "      files: [a]"))).toBe(
      "6:1 artifacts: no definition for primary artifacts in buildspec: artifacts needs a files list (required even when only secondary-artifacts are used); add files:, e.g. - '**/*'",
    );
  });

  it("rejects an empty files list", () => {
    expect(onlyError(withBuild("artifacts:", "  files: []"))).toBe(
      "7:10 artifacts.files: artifacts.files is empty; list at least one path or glob, e.g. - '**/*'",
    );
  });

  it("requires files in each secondary artifact and checks identifiers", () => {
    const found = errors(
      withBuild("artifacts:", "  files: [a]", "  secondary-artifacts:", "    web-app:", "      name: web"),
    );
    expect(found.map((e) => `${e.line}:${e.column} ${e.path}`)).toEqual([
      "9:5 artifacts.secondary-artifacts.web-app",
      "9:5 artifacts.secondary-artifacts.web-app",
    ]);
    expect(found[0]!.message).toContain('identifier "web-app" must use only letters, digits and underscores');
    expect(found[1]!.message).toBe(
      "artifacts.secondary-artifacts.web-app has no files list; add files: with at least one path or glob",
    );
  });

  it("warns that type is deprecated and ignored", () => {
    const { warnings } = parsed(withBuild("artifacts:", "  type: zip", "  files: [a]"));
    expect(warnings.map((w) => `${w.line}:${w.column} ${w.message}`)).toEqual([
      "7:3 artifacts.type is deprecated and ignored; remove it",
    ]);
  });

  it("rejects unknown artifacts keys, and secondary artifacts inside secondary artifacts", () => {
    const found = errors(
      withBuild(
        "artifacts:",
        "  files: [a]",
        "  discard_paths: yes",
        "  secondary-artifacts:",
        "    x:",
        "      files: [b]",
        "      secondary-artifacts: {}",
      ),
    );
    expect(found.map((e) => e.path)).toEqual([
      "artifacts.discard_paths",
      "artifacts.secondary-artifacts.x.secondary-artifacts",
    ]);
    expect(found[0]!.message).toContain('did you mean "discard-paths"?');
  });
});

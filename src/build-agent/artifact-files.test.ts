import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ArtifactSpec } from "../buildspec/types.js";
import { NO_MATCHING_ARTIFACT_PATHS, selectArtifactFiles } from "./artifact-files.js";

let root: string;
let src: string;
beforeEach(async () => {
  root = await realpath(await mkdtemp(join(tmpdir(), "pipewright-artifacts-")));
  src = join(root, "src");
  await mkdir(src);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function files(base: string, paths: string[]): Promise<void> {
  for (const path of paths) {
    await mkdir(dirname(join(base, path)), { recursive: true });
    await writeFile(join(base, path), path);
  }
}

function spec(files: string[], extra: Partial<ArtifactSpec> = {}): ArtifactSpec {
  return { files, discardPaths: false, excludePaths: [], enableSymlinks: false, ...extra };
}

async function select(artifact: ArtifactSpec) {
  return selectArtifactFiles(artifact, { sourceDir: src, buildRoot: root });
}

async function names(artifact: ArtifactSpec): Promise<string[]> {
  const result = await select(artifact);
  if (!result.ok) throw new Error(`${result.message}\n${result.log.join("\n")}`);
  return result.files.map((file) => file.zipName);
}

const tree = [
  "appspec.yml",
  "dist/app.js",
  "dist/js/vendor.js",
  "dist/js/lib/deep.js",
  "scripts/start.sh",
  "scripts/lib/common.sh",
  "node_modules/pkg/index.js",
];

describe("selectArtifactFiles", () => {
  it("selects everything with '**/*' and logs CodeBuild's lines", async () => {
    await files(src, tree);
    const result = await select(spec(["**/*"]));
    expect(result).toEqual({
      ok: true,
      files: [
        { hostPath: join(src, "appspec.yml"), zipName: "appspec.yml" },
        { hostPath: join(src, "dist/app.js"), zipName: "dist/app.js" },
        { hostPath: join(src, "dist/js/lib/deep.js"), zipName: "dist/js/lib/deep.js" },
        { hostPath: join(src, "dist/js/vendor.js"), zipName: "dist/js/vendor.js" },
        { hostPath: join(src, "node_modules/pkg/index.js"), zipName: "node_modules/pkg/index.js" },
        { hostPath: join(src, "scripts/lib/common.sh"), zipName: "scripts/lib/common.sh" },
        { hostPath: join(src, "scripts/start.sh"), zipName: "scripts/start.sh" },
      ],
      log: [
        "Expanding base directory path: .",
        "Assembling file list",
        "Expanding .",
        "Expanding file paths for base directory .",
        "Assembling file list",
        "Expanding **/*",
        "Found 7 file(s)",
      ],
    });
  });

  it("takes 'dir/*' as the files directly in dir and 'dir/**/*' as everything below it", async () => {
    await files(src, tree);
    expect(await names(spec(["scripts/*"]))).toEqual(["scripts/start.sh"]);
    expect(await names(spec(["scripts/**/*"]))).toEqual(["scripts/lib/common.sh", "scripts/start.sh"]);
    expect(await names(spec(["dist/**/*.js", "appspec.yml"]))).toEqual([
      "dist/app.js",
      "dist/js/lib/deep.js",
      "dist/js/vendor.js",
      "appspec.yml",
    ]);
  });

  it("takes a plain path as that file, or everything below a directory", async () => {
    await files(src, tree);
    expect(await names(spec(["appspec.yml"]))).toEqual(["appspec.yml"]);
    expect(await names(spec(["dist/js"]))).toEqual(["dist/js/lib/deep.js", "dist/js/vendor.js"]);
  });

  it("reads globs from the source directory, not the shell's directory after 'cd ..'", async () => {
    // A build that ran `cd ..` before writing imagedefinitions.json left it in the build root.
    await writeFile(join(root, "imagedefinitions.json"), "[]");
    const result = await select(spec(["imagedefinitions.json"]));
    expect(result).toEqual({
      ok: false,
      message: NO_MATCHING_ARTIFACT_PATHS,
      log: [
        "Expanding base directory path: .",
        "Assembling file list",
        "Expanding .",
        "Expanding file paths for base directory .",
        "Assembling file list",
        "Expanding imagedefinitions.json",
        "Skipping invalid file path imagedefinitions.json",
      ],
    });
  });

  it("logs each pattern that matches nothing but succeeds when another matches", async () => {
    await files(src, tree);
    const result = await select(spec(["missing/*", "appspec.yml"]));
    expect(result.ok).toBe(true);
    expect(result.log).toContain("Skipping invalid file path missing/*");
    expect(result.log.at(-1)).toBe("Found 1 file(s)");
  });

  it("names files relative to base-directory, which is itself not included", async () => {
    await files(src, tree);
    const result = await select(spec(["**/*"], { baseDirectory: "dist" }));
    expect(result.ok && result.files.map((file) => file.zipName)).toEqual([
      "app.js",
      "js/lib/deep.js",
      "js/vendor.js",
    ]);
    expect(result.log.slice(0, 5)).toEqual([
      "Expanding base directory path: dist",
      "Assembling file list",
      "Expanding dist",
      "Expanding file paths for base directory dist",
      "Assembling file list",
    ]);
  });

  it("merges every directory a base-directory glob matches", async () => {
    await files(src, ["my-build1/a.txt", "my-build2/b.txt", "my-build2/sub/c.txt", "other/d.txt"]);
    const result = await select(spec(["**/*"], { baseDirectory: "my-build*" }));
    expect(result.ok && result.files.map((file) => file.zipName)).toEqual(["a.txt", "b.txt", "sub/c.txt"]);
    expect(result.log).toContain("Expanding file paths for base directory my-build1");
    expect(result.log).toContain("Expanding file paths for base directory my-build2");
  });

  it("accepts an absolute base-directory inside the build root (a secondary source)", async () => {
    await files(join(root, "src_other"), ["lib/x.txt"]);
    expect(await names(spec(["**/*"], { baseDirectory: join(root, "src_other") }))).toEqual(["lib/x.txt"]);
  });

  it("fails with CodeBuild's message when base-directory names nothing", async () => {
    await files(src, tree);
    const result = await select(spec(["**/*"], { baseDirectory: "no-such-dir" }));
    expect(result).toMatchObject({ ok: false, message: NO_MATCHING_ARTIFACT_PATHS });
    expect(result.log).toContain("Skipping invalid base directory path no-such-dir");
  });

  it("drops exclude-paths, read relative to base-directory", async () => {
    await files(src, tree);
    expect(await names(spec(["**/*"], { excludePaths: ["node_modules/**/*", "**/*.sh"] }))).toEqual([
      "appspec.yml",
      "dist/app.js",
      "dist/js/lib/deep.js",
      "dist/js/vendor.js",
    ]);
    expect(await names(spec(["**/*"], { baseDirectory: "dist", excludePaths: ["js/lib"] }))).toEqual([
      "app.js",
      "js/vendor.js",
    ]);
  });

  it("flattens with discard-paths, the later of two same-named files winning", async () => {
    await files(src, ["a/config.json", "b/config.json", "b/other.txt"]);
    const result = await select(spec(["**/*"], { discardPaths: true }));
    expect(result.ok && result.files).toEqual([
      { hostPath: join(src, "b/config.json"), zipName: "config.json" },
      { hostPath: join(src, "b/other.txt"), zipName: "other.txt" },
    ]);
    expect(result.log).toContain(
      `Duplicate artifact path config.json: ${join(src, "b/config.json")} replaces ${join(src, "a/config.json")}`,
    );
  });

  it("keeps symlinks as symlinks with enable-symlinks, and follows them without", async () => {
    await files(src, ["bin/tool.js", "assets/logo.svg"]);
    await symlink("bin/tool.js", join(src, "tool"));
    await symlink("assets", join(src, "static"));
    const kept = await select(spec(["**/*"], { enableSymlinks: true }));
    expect(kept.ok && kept.files).toEqual([
      { hostPath: join(src, "assets/logo.svg"), zipName: "assets/logo.svg" },
      { hostPath: join(src, "bin/tool.js"), zipName: "bin/tool.js" },
      { hostPath: join(src, "static"), zipName: "static", symlinkTarget: "assets" },
      { hostPath: join(src, "tool"), zipName: "tool", symlinkTarget: "bin/tool.js" },
    ]);
    const followed = await select(spec(["**/*"]));
    expect(followed.ok && followed.files).toEqual([
      { hostPath: join(src, "assets/logo.svg"), zipName: "assets/logo.svg" },
      { hostPath: join(src, "bin/tool.js"), zipName: "bin/tool.js" },
      { hostPath: join(src, "assets/logo.svg"), zipName: "static/logo.svg" },
      { hostPath: join(src, "bin/tool.js"), zipName: "tool" },
    ]);
  });

  it("skips symlinks that point outside the build root, with a log line", async () => {
    const outside = await realpath(await mkdtemp(join(tmpdir(), "pipewright-outside-")));
    try {
      await writeFile(join(outside, "secret"), "secret");
      await files(src, ["ok.txt"]);
      await symlink(join(outside, "secret"), join(src, "leak"));
      await symlink(outside, join(src, "leakdir"));
      await symlink("../../../../../../../../etc/passwd", join(src, "climb"));
      for (const enableSymlinks of [false, true]) {
        const result = await select(spec(["**/*"], { enableSymlinks }));
        expect(result.ok && result.files.map((file) => file.zipName)).toEqual(["ok.txt"]);
        expect(result.log).toContain(
          `Skipping symlink ${join(src, "leak")} -> ${join(outside, "secret")}: it points outside the build root`,
        );
        expect(result.log).toContain(
          `Skipping symlink ${join(src, "leakdir")} -> ${outside}: it points outside the build root`,
        );
      }
      // A plain path through a linked directory is checked too.
      const through = await select(spec(["leakdir/secret"]));
      expect(through).toMatchObject({ ok: false, message: NO_MATCHING_ARTIFACT_PATHS });
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it("survives a symlink cycle", async () => {
    await files(src, ["a/file.txt"]);
    await symlink("..", join(src, "a/up"));
    expect(await names(spec(["**/*"]))).toEqual(["a/file.txt"]);
  });

  it("refuses patterns and base directories that leave the build root, naming them", async () => {
    await files(src, tree);
    expect(await select(spec(["../../etc/*"]))).toMatchObject({
      ok: false,
      message: expect.stringMatching(
        /^files pattern '\.\.\/\.\.\/etc\/\*' resolves to .*, outside the build root /,
      ),
    });
    expect(await select(spec(["/etc/passwd"]))).toMatchObject({
      ok: false,
      message: expect.stringMatching(
        /^files pattern '\/etc\/passwd' resolves to \/etc\/passwd, outside the build root/,
      ),
    });
    expect(await select(spec(["**/*"], { baseDirectory: "/etc" }))).toMatchObject({
      ok: false,
      message: `base-directory '/etc' is outside the build root ${root}`,
    });
    expect(await select(spec(["**/*"], { baseDirectory: "../.." }))).toMatchObject({
      ok: false,
      message: `base-directory '../..' is outside the build root ${root}`,
    });
  });

  it("allows '..' and absolute paths that stay inside the build root, naming files from the pattern", async () => {
    await files(root, ["src_other/shared/config.json", "src_other/readme.md"]);
    await files(src, ["app.js"]);
    expect(
      await names(spec(["../src_other/readme.md", `${root}/src_other/shared/*`, "../src_other/shared"])),
    ).toEqual(["readme.md", "config.json", "shared/config.json"]);
  });

  it("reports patterns that do not compile, naming the key and pattern", async () => {
    expect(await select(spec(["dist/[ab"]))).toMatchObject({
      ok: false,
      message: "files: file pattern 'dist/[ab': unterminated character class in '[ab'",
    });
    expect(await select(spec(["**/*"], { excludePaths: ["[x"] }))).toMatchObject({
      ok: false,
      message: "exclude-paths: file pattern '[x': unterminated character class in '[x'",
    });
  });
});

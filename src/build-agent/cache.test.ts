import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  realpath,
  rm,
  stat,
  symlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CacheSpec } from "../buildspec/types.js";
import { restoreCache, saveCache } from "./cache.js";
import { findSlot, writeSlot } from "./cache-slots.js";

let dir: string;
let cacheRoot: string;
let builds = 0;
beforeEach(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), "pipewright-cache-")));
  cacheRoot = join(dir, "cache");
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A fresh source directory, as each build gets. */
async function newBuild(): Promise<{ src: string; lines: string[]; log: (line: string) => void }> {
  const src = join(dir, `build${++builds}`, "src");
  await mkdir(src, { recursive: true });
  const lines: string[] = [];
  return { src, lines, log: (line) => lines.push(line) };
}

async function put(base: string, path: string, text: string): Promise<void> {
  await mkdir(dirname(join(base, path)), { recursive: true });
  await writeFile(join(base, path), text);
}

const read = (base: string, path: string) => readFile(join(base, path), "utf8");
const exists = (path: string) =>
  lstat(path).then(
    () => true,
    () => false,
  );

function cache(extra: Partial<CacheSpec> = {}): CacheSpec {
  return { paths: ["node_modules/**/*"], fallbackKeys: [], ...extra };
}

describe("the build cache", () => {
  it("carries files, modes and symlinks from one build to the next", async () => {
    const first = await newBuild();
    await put(first.src, "node_modules/pkg/index.js", "module.exports = 1;");
    await put(first.src, "node_modules/pkg/cli.js", "#!/usr/bin/env node");
    await chmod(join(first.src, "node_modules/pkg/cli.js"), 0o755);
    await mkdir(join(first.src, "node_modules/.bin"));
    await symlink("../pkg/cli.js", join(first.src, "node_modules/.bin/pkg"));
    await put(first.src, "src/app.js", "not cached");
    await saveCache(cache(), { cacheRoot, sourceDir: first.src, log: first.log });
    expect(first.lines).toEqual(["Saving cache", "Saved 3 cache file(s)"]);

    const second = await newBuild();
    await restoreCache(cache(), { cacheRoot, sourceDir: second.src, log: second.log });
    expect(second.lines).toEqual(["Restoring cache", "Restored 3 cache file(s)"]);
    expect(await read(second.src, "node_modules/pkg/index.js")).toBe("module.exports = 1;");
    expect((await stat(join(second.src, "node_modules/pkg/cli.js"))).mode & 0o777).toBe(0o755);
    expect(await readlink(join(second.src, "node_modules/.bin/pkg"))).toBe("../pkg/cli.js");
    expect(await exists(join(second.src, "src/app.js"))).toBe(false);
  });

  it("replaces the unkeyed slot on every save", async () => {
    const first = await newBuild();
    await put(first.src, "node_modules/old.js", "old");
    await saveCache(cache(), { cacheRoot, sourceDir: first.src, log: first.log });
    const second = await newBuild();
    await put(second.src, "node_modules/new.js", "new");
    await saveCache(cache(), { cacheRoot, sourceDir: second.src, log: second.log });
    const third = await newBuild();
    await restoreCache(cache(), { cacheRoot, sourceDir: third.src, log: third.log });
    expect(await readdir(join(third.src, "node_modules"))).toEqual(["new.js"]);
  });

  it("never changes a keyed slot once written", async () => {
    const first = await newBuild();
    await put(first.src, "node_modules/v.js", "one");
    await saveCache(cache({ key: "npm-abc" }), { cacheRoot, sourceDir: first.src, log: first.log });
    expect(first.lines).toEqual(["Saving cache for key npm-abc", "Saved 1 cache file(s)"]);
    const second = await newBuild();
    await put(second.src, "node_modules/v.js", "two");
    await saveCache(cache({ key: "npm-abc" }), { cacheRoot, sourceDir: second.src, log: second.log });
    expect(second.lines).toEqual([
      "Cache for key npm-abc already exists and is immutable; skipping cache upload",
    ]);
    const third = await newBuild();
    await restoreCache(cache({ key: "npm-abc" }), { cacheRoot, sourceDir: third.src, log: third.log });
    expect(third.lines[0]).toBe("Restoring cache from key npm-abc");
    expect(await read(third.src, "node_modules/v.js")).toBe("one");
  });

  it("falls back by prefix to the most recently written slot, trying fallback keys in order", async () => {
    for (const [key, text] of [
      ["npm-linux-a", "a"],
      ["npm-linux-b", "b"],
      ["yarn-x", "y"],
    ] as const) {
      const build = await newBuild();
      await put(build.src, "node_modules/v.js", text);
      await saveCache(cache({ key }), { cacheRoot, sourceDir: build.src, log: build.log });
    }
    const restoreWith = async (spec: CacheSpec) => {
      const build = await newBuild();
      await restoreCache(spec, { cacheRoot, sourceDir: build.src, log: build.log });
      const text = await read(build.src, "node_modules/v.js").catch(() => undefined);
      return { text, lines: build.lines };
    };
    expect(
      await restoreWith(cache({ key: "npm-linux-c", fallbackKeys: ["npm-mac-", "npm-linux-", "yarn-"] })),
    ).toEqual({
      text: "b",
      lines: [
        "Cache miss for key npm-linux-c; restoring cache from fallback key npm-linux- (npm-linux-b)",
        "Restored 1 cache file(s)",
      ],
    });
    expect((await restoreWith(cache({ key: "npm-linux-a", fallbackKeys: ["npm-"] }))).text).toBe("a");
    expect(await restoreWith(cache({ key: "pip-1", fallbackKeys: ["pip-"] }))).toEqual({
      text: undefined,
      lines: ["Cache miss for key pip-1 and its fallback keys; nothing to restore"],
    });
    // The primary key is an exact match, never a prefix.
    expect((await restoreWith(cache({ key: "npm-linux" }))).text).toBeUndefined();
  });

  it("honours action: restore never saves, save never restores", async () => {
    const first = await newBuild();
    await put(first.src, "node_modules/v.js", "v");
    await saveCache(cache({ action: "restore" }), { cacheRoot, sourceDir: first.src, log: first.log });
    expect(await exists(cacheRoot)).toBe(false);
    await saveCache(cache({ action: "save" }), { cacheRoot, sourceDir: first.src, log: first.log });
    const second = await newBuild();
    await restoreCache(cache({ action: "save" }), { cacheRoot, sourceDir: second.src, log: second.log });
    expect(await exists(join(second.src, "node_modules"))).toBe(false);
    expect(second.lines).toEqual(["Skipping cache download: the cache action is save"]);
  });

  it("logs CodeBuild's line when no paths are given", async () => {
    const build = await newBuild();
    await restoreCache(cache({ paths: [] }), { cacheRoot, sourceDir: build.src, log: build.log });
    await saveCache(cache({ paths: [] }), { cacheRoot, sourceDir: build.src, log: build.log });
    expect(build.lines).toEqual([
      "Unable to initialize cache download: no paths specified to be cached",
      "Unable to initialize cache upload: no paths specified to be cached",
    ]);
  });

  it("keeps absolute paths as the build sees them, mapped to each build's host directory", async () => {
    const first = await newBuild();
    const home1 = join(dir, "home1");
    await put(home1, ".m2/repository/junit/junit-4.13.jar", "jar");
    const toHost1 = (path: string) => path.replace(/^\/root/u, home1);
    const spec = cache({ paths: ["/root/.m2/**/*", "/root/.npmrc"] });
    await put(home1, ".npmrc", "registry=x");
    await saveCache(spec, { cacheRoot, sourceDir: first.src, log: first.log, toHost: toHost1 });
    expect(await exists(join(cacheRoot, "slots/default/abs/root/.m2/repository/junit/junit-4.13.jar"))).toBe(
      true,
    );

    const second = await newBuild();
    const home2 = join(dir, "home2");
    await restoreCache(spec, {
      cacheRoot,
      sourceDir: second.src,
      log: second.log,
      toHost: (path) => path.replace(/^\/root/u, home2),
    });
    expect(await read(home2, ".m2/repository/junit/junit-4.13.jar")).toBe("jar");
    expect(await read(home2, ".npmrc")).toBe("registry=x");
  });

  it("restores only what the current paths name", async () => {
    const first = await newBuild();
    await put(first.src, "node_modules/a.js", "a");
    await put(first.src, ".venv/lib/b.py", "b");
    await saveCache(cache({ paths: ["node_modules/**/*", ".venv"] }), {
      cacheRoot,
      sourceDir: first.src,
      log: first.log,
    });
    const second = await newBuild();
    await restoreCache(cache({ paths: [".venv"] }), { cacheRoot, sourceDir: second.src, log: second.log });
    expect(await read(second.src, ".venv/lib/b.py")).toBe("b");
    expect(await exists(join(second.src, "node_modules"))).toBe(false);
  });

  it("does not write through a symlink in the source tree, nor read through one leaving it", async () => {
    const outside = join(dir, "outside");
    await mkdir(outside);
    await put(outside, "secret.txt", "host secret");
    const first = await newBuild();
    await symlink(outside, join(first.src, "node_modules"));
    await saveCache(cache(), { cacheRoot, sourceDir: first.src, log: first.log });
    expect(first.lines).toEqual([
      `Skipping ${join(first.src, "node_modules")}: it resolves to ${outside}, outside the source directory`,
      "No files match the cache paths; nothing to upload",
    ]);

    const second = await newBuild();
    await put(second.src, "node_modules/x.js", "x");
    await saveCache(cache(), { cacheRoot, sourceDir: second.src, log: second.log });
    const third = await newBuild();
    await symlink(outside, join(third.src, "node_modules"));
    await restoreCache(cache(), { cacheRoot, sourceDir: third.src, log: third.log });
    expect(await readdir(outside)).toEqual(["secret.txt"]);
    expect(third.lines).toContain(
      `Skipping cache file ${join(third.src, "node_modules/x.js")}: ${join(third.src, "node_modules")} is a symlink`,
    );
  });

  it("skips relative paths that leave the source directory", async () => {
    const build = await newBuild();
    await put(dirname(build.src), "elsewhere/x", "x");
    await saveCache(cache({ paths: ["../elsewhere/**/*"] }), {
      cacheRoot,
      sourceDir: build.src,
      log: build.log,
    });
    expect(build.lines[0]).toBe("Skipping cache path ../elsewhere/**/*: it leaves the source directory");
  });

  it("never leaves a half-written slot when saving fails", async () => {
    await expect(
      writeSlot(cacheRoot, "k", async (slotDir) => {
        await writeFile(join(slotDir, "partial"), "p");
        throw new Error("disk full");
      }),
    ).rejects.toThrow("disk full");
    expect(await findSlot(cacheRoot, "k")).toBeUndefined();
    expect(await readdir(join(cacheRoot, "slots"))).toEqual([]);
    expect(await readdir(join(cacheRoot, "tmp"))).toEqual([]);
  });
});

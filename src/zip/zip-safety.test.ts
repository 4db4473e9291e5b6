import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { extractZip } from "./extract-zip.js";
import { python } from "./testing/python.js";

/**
 * Hostile archives, written with Python's zipfile (which stores any name it is given), must be
 * refused with an error naming the entry, and must leave nothing outside (or inside) destDir.
 */

let parent: string;
let dest: string;
beforeEach(async () => {
  parent = await mkdtemp(join(tmpdir(), "pipewright-zip-safety-"));
  dest = join(parent, "dest");
});
afterEach(async () => {
  await rm(parent, { recursive: true, force: true });
});

type Entry = { name: string; data: string; symlink?: boolean };

/** Writes an archive holding `entries` in order (symlinks as unix symlink entries). */
function hostileZip(entries: Entry[]): string {
  const zip = join(parent, "hostile.zip");
  python(
    `
import sys, json, zipfile
z = zipfile.ZipFile(sys.argv[1], 'w')
for e in json.loads(sys.argv[2]):
    info = zipfile.ZipInfo(e['name'], (2024, 1, 1, 0, 0, 0))
    info.create_system = 3
    info.external_attr = (0o120777 if e.get('symlink') else 0o100644) << 16
    z.writestr(info, e['data'])
z.close()
`,
    zip,
    JSON.stringify(entries),
  );
  return zip;
}

async function expectNothingWritten(): Promise<void> {
  expect((await readdir(parent)).sort()).toEqual(["dest", "hostile.zip"]);
  expect(await readdir(dest)).toEqual([]);
  expect(existsSync("/etc/pipewright-zip-test-x")).toBe(false);
  expect(existsSync("/tmp/pipewright-zip-test-x")).toBe(false);
}

describe("extractZip refuses hostile archives", () => {
  const names: [string, string, RegExp][] = [
    ["a parent-directory name", "../x", /'\.\.\/x'.*'\.\.' segment/],
    ["an absolute name", "/etc/pipewright-zip-test-x", /'\/etc\/pipewright-zip-test-x'.*absolute/],
    ["a name climbing out through a subdirectory", "a/../../x", /'a\/\.\.\/\.\.\/x'.*'\.\.' segment/],
    ["a backslash traversal", "a\\..\\..\\x", /backslash/],
    ["a drive letter", "C:/x", /drive letter/],
    ["a drive-relative name", "C:x", /drive letter/],
  ];
  for (const [what, name, message] of names) {
    it(`refuses ${what} (${name}) and writes nothing`, async () => {
      const zip = hostileZip([
        { name: "fine.txt", data: "written only if the archive is accepted" },
        { name, data: "evil" },
      ]);
      await expect(extractZip(zip, dest)).rejects.toThrow(message);
      await expectNothingWritten();
    });
  }

  it("refuses a symlink to /etc and the file meant to be written through it", async () => {
    const zip = hostileZip([
      { name: "evil", data: "/etc", symlink: true },
      { name: "evil/pipewright-zip-test-x", data: "evil" },
    ]);
    await expect(extractZip(zip, dest, { allowSymlinks: true })).rejects.toThrow(/refusing entry 'evil/);
    await expect(extractZip(zip, dest)).rejects.toThrow(/refusing entry 'evil': it is a symbolic link/);
    await expectNothingWritten();
  });

  it("refuses a symlink whose relative target climbs out of the destination", async () => {
    const zip = hostileZip([{ name: "dir/up", data: "../../outside", symlink: true }]);
    await expect(extractZip(zip, dest, { allowSymlinks: true })).rejects.toThrow(
      /refusing entry 'dir\/up': its symlink target '\.\.\/\.\.\/outside' points outside/,
    );
    await expectNothingWritten();
  });

  it("refuses a chain of links that only escapes when followed on disk", async () => {
    // d1/d2/A -> ../../x stays inside; B -> d1/d2/A/../../.. looks inside when read as text,
    // but the OS follows A first and lands two levels above the destination.
    const zip = hostileZip([
      { name: "B", data: "d1/d2/A/../../..", symlink: true },
      { name: "d1/d2/A", data: "../../x", symlink: true },
    ]);
    await expect(extractZip(zip, dest, { allowSymlinks: true })).rejects.toThrow(/refusing entry 'B'/);
    await expectNothingWritten();
  });

  it("never writes through a symlink from the same archive, even one pointing inside", async () => {
    const zip = hostileZip([
      { name: "sub/keep", data: "k" },
      { name: "s", data: "sub", symlink: true },
      { name: "s/x", data: "through the link" },
    ]);
    await expect(extractZip(zip, dest, { allowSymlinks: true })).rejects.toThrow(
      /refusing entry 's\/x': it would be written through the symlink 's'/,
    );
    await expectNothingWritten();
  });

  it("refuses any symlink unless symlinks are allowed", async () => {
    const zip = hostileZip([{ name: "harmless", data: "target-inside", symlink: true }]);
    await expect(extractZip(zip, dest)).rejects.toThrow(/'harmless': it is a symbolic link/);
    await expectNothingWritten();
  });

  it("does not write through a symlink already in the destination", async () => {
    await mkdir(join(parent, "outside"));
    await mkdir(dest);
    await symlink(join(parent, "outside"), join(dest, "ext"));
    const zip = hostileZip([{ name: "ext/x", data: "evil" }]);
    await expect(extractZip(zip, dest)).rejects.toThrow(
      /'ext\/x': it would be written through the symlink 'ext'/,
    );
    expect(await readdir(join(parent, "outside"))).toEqual([]);
  });

  it("replaces a symlink standing where a file goes instead of writing to its target", async () => {
    await writeFile(join(parent, "victim"), "original");
    await mkdir(dest);
    await symlink(join(parent, "victim"), join(dest, "f"));
    const zip = hostileZip([{ name: "f", data: "new" }]);
    await extractZip(zip, dest);
    expect(await readFile(join(parent, "victim"), "utf8")).toBe("original");
    expect(await readFile(join(dest, "f"), "utf8")).toBe("new");
  });

  it("accepts symlinks that stay inside, such as node_modules/.bin links", async () => {
    const zip = hostileZip([
      { name: "node_modules/pkg/bin/tool.js", data: "tool" },
      { name: "node_modules/.bin/tool", data: "../pkg/bin/tool.js", symlink: true },
      { name: "abs", data: join(dest, "node_modules"), symlink: true },
    ]);
    await extractZip(zip, dest, { allowSymlinks: true });
    expect(await readlink(join(dest, "node_modules/.bin/tool"))).toBe("../pkg/bin/tool.js");
    expect(await readFile(join(dest, "node_modules/.bin/tool"), "utf8")).toBe("tool");
  });
});

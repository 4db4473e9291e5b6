import { execFileSync } from "node:child_process";
import { chmod, mkdir, mkdtemp, readFile, readlink, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { extractZip } from "./extract-zip.js";
import { listZip } from "./list-zip.js";
import { python, pythonZipBytes } from "./testing/python.js";
import { writeZip } from "./write-zip.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pipewright-unzip-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const mode = async (path: string) => (await stat(path)).mode & 0o777;

describe("extractZip", () => {
  it("extracts what Python writes: deflated and stored entries, directories, modes, times, symlinks", async () => {
    const zip = join(dir, "py.zip");
    python(
      `
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1], 'w')
def add(name, data, mode, method=zipfile.ZIP_DEFLATED):
    info = zipfile.ZipInfo(name, (2024, 1, 2, 3, 4, 6))
    info.create_system = 3
    info.external_attr = mode << 16
    info.compress_type = method
    z.writestr(info, data)
add('dir/', b'', 0o40750)
add('dir/tool', b'#!/bin/sh\\necho hi\\n' * 100, 0o100755)
add('dir/plain.txt', b'plain', 0o100644, zipfile.ZIP_STORED)
add('link', b'dir/tool', 0o120777, zipfile.ZIP_STORED)
z.close()
`,
      zip,
    );
    const out = join(dir, "out");
    const paths = await extractZip(zip, out, { allowSymlinks: true });
    expect(paths).toEqual(["dir", "dir/tool", "dir/plain.txt", "link"]);
    expect(await readFile(join(out, "dir/tool"), "utf8")).toBe("#!/bin/sh\necho hi\n".repeat(100));
    expect(await mode(join(out, "dir/tool"))).toBe(0o755);
    expect(await mode(join(out, "dir/plain.txt"))).toBe(0o644);
    expect(await mode(join(out, "dir"))).toBe(0o750);
    expect(await readlink(join(out, "link"))).toBe("dir/tool");
    expect((await stat(join(out, "dir/plain.txt"))).mtime).toEqual(new Date(2024, 0, 2, 3, 4, 6));
    expect(execFileSync(join(out, "dir/tool"), { encoding: "utf8" })).toBe("hi\n".repeat(100));
  });

  it("extracts Python's ZIP64 entries written with force_zip64=True", async () => {
    const zip = join(dir, "zip64.zip");
    python(
      `
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED)
with z.open('big.txt', 'w', force_zip64=True) as f:
    f.write(b'abc' * 100000)
with z.open('nested/small', 'w', force_zip64=True) as f:
    f.write(b'x')
z.close()
`,
      zip,
    );
    expect((await readFile(zip)).includes(Buffer.from([0x01, 0x00, 0x10, 0x00]))).toBe(true); // ZIP64 extra
    const out = join(dir, "out");
    await extractZip(zip, out);
    expect(await readFile(join(out, "big.txt"), "utf8")).toBe("abc".repeat(100000));
    expect(await readFile(join(out, "nested/small"), "utf8")).toBe("x");
  });

  it("reads Python's ZIP64 end record when an archive holds more than 65535 entries", async () => {
    const zip = join(dir, "many.zip");
    python(
      "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1], 'w')\nfor i in range(66000): z.writestr('e/%d' % i, str(i))\nz.close()",
      zip,
    );
    const listing = await listZip(zip);
    expect(listing.length).toBe(66000);
    expect(listing[65999]).toMatchObject({ name: "e/65999", size: 5, kind: "file" });
  });

  it("extracts archives with data descriptors (Python writing to a pipe), given as bytes", async () => {
    const bytes = pythonZipBytes(`
import sys, zipfile
z = zipfile.ZipFile(sys.stdout.buffer, 'w', zipfile.ZIP_DEFLATED)
z.writestr('a.txt', b'hello ' * 1000)
with z.open('b.bin', 'w') as f:
    f.write(bytes(range(256)) * 40)
z.close()
`);
    expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x07, 0x08]))).toBe(true); // data descriptor
    const out = join(dir, "out");
    expect(await extractZip(bytes, out)).toEqual(["a.txt", "b.bin"]);
    expect(await readFile(join(out, "a.txt"), "utf8")).toBe("hello ".repeat(1000));
    expect(await readFile(join(out, "b.bin"))).toEqual(
      Buffer.from(Array.from({ length: 256 * 40 }, (_, i) => i % 256)),
    );
  });

  it("extracts git archive --format=zip output with the exec bit and symlinks", async () => {
    const repo = join(dir, "repo");
    await mkdir(join(repo, "src"), { recursive: true });
    await writeFile(join(repo, "build.sh"), "#!/bin/sh\necho built\n");
    await chmod(join(repo, "build.sh"), 0o755);
    await writeFile(join(repo, "src/app.js"), "console.log('app');\n");
    await symlink("src/app.js", join(repo, "main.js"));
    const git = (...args: string[]) =>
      execFileSync("git", ["-C", repo, "-c", "user.name=t", "-c", "user.email=t@example.com", ...args]);
    git("init", "-q");
    git("add", ".");
    git("commit", "-qm", "init");
    const zip = join(dir, "git.zip");
    git("archive", "--format=zip", "-o", zip, "HEAD");
    const out = join(dir, "out");
    const paths = await extractZip(zip, out, { allowSymlinks: true });
    expect(paths.sort()).toEqual(["build.sh", "main.js", "src", "src/app.js"]);
    expect(await mode(join(out, "build.sh"))).toBe(0o755);
    expect(await mode(join(out, "src/app.js"))).toBe(0o644);
    expect(await readlink(join(out, "main.js"))).toBe("src/app.js");
    expect(execFileSync(join(out, "build.sh"), { encoding: "utf8" })).toBe("built\n");
  });

  it("lets a later entry with the same name win", async () => {
    const zip = join(dir, "dup.zip");
    python(
      "import sys, zipfile, warnings\nwarnings.simplefilter('ignore')\nz = zipfile.ZipFile(sys.argv[1], 'w')\nz.writestr('f', 'first')\nz.writestr('f', 'second')\nz.close()",
      zip,
    );
    const out = join(dir, "out");
    expect(await extractZip(zip, out)).toEqual(["f"]);
    expect(await readFile(join(out, "f"), "utf8")).toBe("second");
  });

  it("fails naming the entry when its data is corrupt", async () => {
    const zip = join(dir, "ok.zip");
    await writeZip(
      [{ name: "text.txt", source: { kind: "data", data: Buffer.from("some text ".repeat(1000)) } }],
      zip,
    );
    const bytes = await readFile(zip);
    bytes[60] = bytes[60]! ^ 0xff; // inside the deflated data, after the header (30), name (8) and extra (9)
    await expect(extractZip(bytes, join(dir, "out"))).rejects.toThrow(/entry 'text\.txt'/);
  });

  it("fails clearly on something that is not a zip archive", async () => {
    await writeFile(join(dir, "not.zip"), "definitely not a zip");
    await expect(extractZip(join(dir, "not.zip"), join(dir, "out"))).rejects.toThrow(
      /no end of central directory/,
    );
    await expect(extractZip(join(dir, "missing.zip"), join(dir, "out"))).rejects.toThrow(/cannot open/);
  });
});

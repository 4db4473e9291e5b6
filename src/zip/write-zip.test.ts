import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { chmod, mkdtemp, readFile, readlink, rm, stat, symlink, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { extractZip } from "./extract-zip.js";
import { listZip } from "./list-zip.js";
import { python } from "./testing/python.js";
import { writeZip, type ZipEntryInput } from "./write-zip.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pipewright-zip-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A compressible but not trivial payload larger than the streaming threshold (1 MiB). */
function bigText(): Buffer {
  const lines: string[] = [];
  for (let i = 0; i < 250_000; i++) lines.push(`line ${i} ${(i * 7919) % 1000}\n`);
  return Buffer.from(lines.join(""));
}

async function sampleEntries(): Promise<ZipEntryInput[]> {
  await writeFile(join(dir, "run.sh"), "#!/bin/sh\necho hello\n");
  await chmod(join(dir, "run.sh"), 0o755);
  await writeFile(join(dir, "big.txt"), bigText());
  await writeFile(join(dir, "random.bin"), randomBytes(2 * 1024 * 1024));
  await writeFile(join(dir, "empty"), "");
  return [
    { name: "bin/", source: { kind: "directory" } },
    { name: "bin/run.sh", source: { kind: "file", path: join(dir, "run.sh") } },
    { name: "big.txt", source: { kind: "file", path: join(dir, "big.txt") } },
    { name: "random.bin", source: { kind: "file", path: join(dir, "random.bin") } },
    { name: "empty", source: { kind: "file", path: join(dir, "empty") } },
    {
      name: "docs/readme.md",
      source: { kind: "data", data: Buffer.from("# readme\n".repeat(50)) },
      mode: 0o600,
    },
    { name: "docs/ünïcödé.txt", source: { kind: "data", data: Buffer.from("x") } },
    { name: "link-to-run", source: { kind: "symlink", target: "bin/run.sh" } },
  ];
}

const READ_WITH_PYTHON = `
import sys, zipfile, hashlib, json
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
out = []
for info in z.infolist():
    data = z.read(info)
    out.append({"name": info.filename, "mode": info.external_attr >> 16, "size": info.file_size,
                "method": info.compress_type, "sha": hashlib.sha256(data).hexdigest()})
print(json.dumps(out))
`;

const sha = (data: Uint8Array) => createHash("sha256").update(data).digest("hex");

describe("writeZip", () => {
  it("writes an archive Python's zipfile reads back intact, with unix modes and symlinks", async () => {
    const zip = join(dir, "out.zip");
    const result = await writeZip(await sampleEntries(), zip);
    const entries = JSON.parse(python(READ_WITH_PYTHON, zip)) as {
      name: string;
      mode: number;
      size: number;
      method: number;
      sha: string;
    }[];
    const byName = new Map(entries.map((entry) => [entry.name, entry]));
    expect([...byName.keys()]).toEqual([
      "bin/",
      "bin/run.sh",
      "big.txt",
      "random.bin",
      "empty",
      "docs/readme.md",
      "docs/ünïcödé.txt",
      "link-to-run",
    ]);
    expect(byName.get("bin/run.sh")!.mode).toBe(0o100755);
    expect(byName.get("docs/readme.md")!.mode).toBe(0o100600);
    expect(byName.get("bin/")!.mode).toBe(0o040755);
    expect(byName.get("link-to-run")!.mode).toBe(0o120777);
    expect(byName.get("big.txt")!.sha).toBe(sha(await readFile(join(dir, "big.txt"))));
    expect(byName.get("big.txt")!.method).toBe(8);
    expect(byName.get("random.bin")!.sha).toBe(sha(await readFile(join(dir, "random.bin"))));
    expect(byName.get("docs/readme.md")!.method).toBe(8);
    expect(byName.get("docs/ünïcödé.txt")!.method).toBe(0);
    expect(result.entries).toBe(8);
    // Info-ZIP's unzip is a second, independent judge.
    expect(() => execFileSync("unzip", ["-tq", zip])).not.toThrow();
  });

  it("reports the archive's size and its md5 and sha256 as hex digests", async () => {
    const zip = join(dir, "out.zip");
    const result = await writeZip(await sampleEntries(), zip);
    const bytes = await readFile(zip);
    expect(result.bytes).toBe(bytes.length);
    expect(result.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
    expect(result.md5).toBe(createHash("md5").update(bytes).digest("hex"));
  });

  it("round-trips through extractZip: contents, exec bit, modification times and symlinks", async () => {
    const zip = join(dir, "out.zip");
    const mtime = new Date("2024-03-05T06:07:08Z");
    const entries = [
      ...(await sampleEntries()),
      { name: "dated", source: { kind: "data" as const, data: Buffer.from("d") }, mtime },
    ];
    await writeZip(entries, zip);
    const out = join(dir, "out");
    const paths = await extractZip(zip, out, { allowSymlinks: true });
    expect(paths).toContain("bin/run.sh");
    expect(paths).toContain("bin");
    expect((await stat(join(out, "bin/run.sh"))).mode & 0o777).toBe(0o755);
    expect((await stat(join(out, "docs/readme.md"))).mode & 0o777).toBe(0o600);
    expect(sha(await readFile(join(out, "big.txt")))).toBe(sha(await readFile(join(dir, "big.txt"))));
    expect(sha(await readFile(join(out, "random.bin")))).toBe(sha(await readFile(join(dir, "random.bin"))));
    expect((await readFile(join(out, "empty"))).length).toBe(0);
    expect(await readlink(join(out, "link-to-run"))).toBe("bin/run.sh");
    expect((await stat(join(out, "dated"))).mtime.getTime()).toBe(mtime.getTime());
  });

  it("accepts an async iterable of entries and writes to a Writable, ending it", async () => {
    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on("data", (chunk: Buffer) => chunks.push(chunk));
    async function* entries(): AsyncGenerator<ZipEntryInput> {
      yield { name: "a.txt", source: { kind: "data", data: Buffer.from("alpha") } };
      yield { name: "b/c.txt", source: { kind: "data", data: Buffer.from("gamma ".repeat(100)) } };
    }
    const result = await writeZip(entries(), sink);
    expect(sink.writableEnded).toBe(true);
    const bytes = Buffer.concat(chunks);
    expect(bytes.length).toBe(result.bytes);
    const listing = await listZip(bytes);
    expect(listing.map((entry) => [entry.name, entry.size])).toEqual([
      ["a.txt", 5],
      ["b/c.txt", 600],
    ]);
  });

  it("writes ZIP64 records when forced, and Python reads them", async () => {
    const zip = join(dir, "forced.zip");
    await writeZip(await sampleEntries(), zip, { forceZip64: true });
    const bytes = await readFile(zip);
    expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(true); // ZIP64 end record
    const entries = JSON.parse(python(READ_WITH_PYTHON, zip)) as { name: string; sha: string }[];
    expect(entries.find((entry) => entry.name === "random.bin")!.sha).toBe(
      sha(await readFile(join(dir, "random.bin"))),
    );
    const out = join(dir, "out");
    await extractZip(zip, out, { allowSymlinks: true });
    expect(sha(await readFile(join(out, "big.txt")))).toBe(sha(await readFile(join(dir, "big.txt"))));
  });

  it("switches to a ZIP64 end record past 65535 entries", async () => {
    const count = 70_000;
    function* entries(): Generator<ZipEntryInput> {
      for (let i = 0; i < count; i++)
        yield { name: `f/${i}`, source: { kind: "data", data: Buffer.from(String(i)) } };
    }
    const zip = join(dir, "many.zip");
    const result = await writeZip(entries(), zip);
    expect(result.entries).toBe(count);
    const summary = python(
      "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nn = z.namelist()\nprint(len(n), n[-1], z.read(n[-1]).decode())",
      zip,
    );
    expect(summary.trim()).toBe(`${count} f/${count - 1} ${count - 1}`);
    expect((await listZip(zip)).length).toBe(count);
  });

  it("refuses unsafe and duplicate names, naming the entry", async () => {
    const data = { kind: "data" as const, data: Buffer.from("x") };
    await expect(writeZip([{ name: "../x", source: data }], join(dir, "a.zip"))).rejects.toThrow(
      /'\.\.\/x'.*'\.\.'/,
    );
    await expect(writeZip([{ name: "/etc/x", source: data }], join(dir, "a.zip"))).rejects.toThrow(
      /'\/etc\/x' is an absolute/,
    );
    await expect(
      writeZip(
        [
          { name: "same", source: data },
          { name: "./same", source: data },
        ],
        join(dir, "a.zip"),
      ),
    ).rejects.toThrow(/duplicate entry name 'same'/);
  });

  it("fails naming the missing file and leaves no partial archive behind", async () => {
    const zip = join(dir, "partial.zip");
    const missing = join(dir, "missing.txt");
    await expect(
      writeZip(
        [
          { name: "ok", source: { kind: "data", data: Buffer.from("fine") } },
          { name: "gone", source: { kind: "file", path: missing } },
        ],
        zip,
      ),
    ).rejects.toThrow(`zip: cannot read '${missing}' for entry 'gone'`);
    await expect(stat(zip)).rejects.toThrow(/ENOENT/);
  });

  it("follows a symlink given as a file source and stores the target's bytes", async () => {
    await writeFile(join(dir, "real"), "real content");
    await symlink(join(dir, "real"), join(dir, "alias"));
    const zip = join(dir, "out.zip");
    await writeZip([{ name: "alias", source: { kind: "file", path: join(dir, "alias") } }], zip);
    expect(
      python("import sys, zipfile\nprint(zipfile.ZipFile(sys.argv[1]).read('alias').decode())", zip).trim(),
    ).toBe("real content");
  });

  // Zipping 4 GiB costs tens of seconds of CPU; run with PIPEWRIGHT_ZIP_LARGE_TESTS=1.
  it.runIf(process.env.PIPEWRIGHT_ZIP_LARGE_TESTS === "1")(
    "streams a file over 4 GiB into a ZIP64 entry that Python verifies",
    async () => {
      const sparse = join(dir, "sparse.bin");
      await writeFile(sparse, "start");
      await truncate(sparse, 4 * 1024 * 1024 * 1024 + 4096);
      const zip = join(dir, "large.zip");
      await writeZip([{ name: "sparse.bin", source: { kind: "file", path: sparse } }], zip);
      const out = python(
        "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nprint(z.infolist()[0].file_size)",
        zip,
      );
      expect(Number(out.trim())).toBe(4 * 1024 * 1024 * 1024 + 4096);
      const listing = await listZip(zip);
      expect(listing[0]!.size).toBe(4 * 1024 * 1024 * 1024 + 4096);
    },
    600_000,
  );
});

import { execFile } from "node:child_process";
import { existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import { delimiter, join } from "node:path";
import { Readable } from "node:stream";
import { promisify } from "node:util";
import type Dockerode from "dockerode";
import { followProgress } from "../../src/build-agent/executors/container-executor.js";

/**
 * Test images for the container executor, built FROM scratch out of binaries of this machine
 * (no registry is needed): `busybox-static`'s /bin/busybox for a shell and coreutils, and the
 * machine's docker CLI for builds that use Docker. Each is built once per engine and reused
 * (by tag); `ensure*` also memoises within the process.
 */

export const BUSYBOX_IMAGE = "pipewright-test/busybox:1";
export const DOCKER_CLI_IMAGE = "pipewright-test/docker-cli:1";

const PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
const run = promisify(execFile);

// --- a minimal tar writer (ustar): directories, files and symbolic links --------------------

type TarEntry =
  | { readonly type: "dir"; readonly name: string; readonly mode?: number }
  | { readonly type: "file"; readonly name: string; readonly data: Buffer; readonly mode?: number }
  | { readonly type: "symlink"; readonly name: string; readonly target: string };

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, "0")}\0`;
}

function tarHeader(entry: TarEntry, size: number): Buffer {
  const header = Buffer.alloc(512);
  let name = entry.type === "dir" ? `${entry.name.replace(/\/$/, "")}/` : entry.name;
  let prefix = "";
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf("/", name.length - 2);
    prefix = name.slice(0, cut);
    name = name.slice(cut + 1);
    if (Buffer.byteLength(name) > 100 || Buffer.byteLength(prefix) > 155)
      throw new Error(`tar: name too long: ${entry.name}`);
  }
  const mode = entry.type === "symlink" ? 0o777 : (entry.mode ?? (entry.type === "dir" ? 0o755 : 0o644));
  header.write(name, 0, 100);
  header.write(octal(mode, 8), 100);
  header.write(octal(0, 8), 108);
  header.write(octal(0, 8), 116);
  header.write(octal(size, 12), 124);
  header.write(octal(0, 12), 136);
  header.write("        ", 148); // checksum field counts as spaces while summing
  header.write(entry.type === "dir" ? "5" : entry.type === "symlink" ? "2" : "0", 156);
  if (entry.type === "symlink") header.write(entry.target, 157, 100);
  header.write("ustar\0", 257);
  header.write("00", 263);
  header.write(prefix, 345, 155);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
  return header;
}

export function tarArchive(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const data = entry.type === "file" ? entry.data : Buffer.alloc(0);
    parts.push(tarHeader(entry, data.length), data);
    if (data.length % 512) parts.push(Buffer.alloc(512 - (data.length % 512)));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

// --- finding binaries -----------------------------------------------------------------------

/** True for an ELF executable without a program interpreter (PT_INTERP): statically linked. */
export function isStaticExecutable(path: string): boolean {
  const elf = readFileSync(path);
  if (elf.length < 64 || elf.readUInt32BE(0) !== 0x7f454c46) return false;
  const is64 = elf[4] === 2;
  const little = elf[5] === 1;
  const u16 = (at: number) => (little ? elf.readUInt16LE(at) : elf.readUInt16BE(at));
  const u32 = (at: number) => (little ? elf.readUInt32LE(at) : elf.readUInt32BE(at));
  const phoff = is64 ? Number(little ? elf.readBigUInt64LE(32) : elf.readBigUInt64BE(32)) : u32(28);
  const phentsize = u16(is64 ? 54 : 42);
  const phnum = u16(is64 ? 56 : 44);
  for (let i = 0; i < phnum; i++) {
    if (u32(phoff + i * phentsize) === 3 /* PT_INTERP */) return false;
  }
  return true;
}

function executables(name: string, extra: readonly string[]): string[] {
  const fromPath = (process.env.PATH ?? "").split(delimiter).map((dir) => join(dir, name));
  const seen = new Set<string>();
  return [...extra, ...fromPath].filter((path) => {
    if (seen.has(path) || !existsSync(path) || !statSync(path).isFile()) return false;
    seen.add(path);
    return true;
  });
}

function findStaticBusybox(): string {
  const found = executables("busybox", ["/bin/busybox", "/usr/bin/busybox"]).find(isStaticExecutable);
  if (!found) {
    throw new Error("No statically linked busybox on this machine (install the busybox-static package)");
  }
  return found;
}

/** The shared libraries (and the loader) a dynamic executable needs, as `ldd` lists them. */
async function sharedLibraries(path: string): Promise<string[]> {
  const { stdout } = await run("ldd", [path]);
  const libraries: string[] = [];
  for (const line of stdout.split("\n")) {
    const match = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    if (match?.[1]) libraries.push(match[1]);
  }
  return libraries;
}

// --- building -------------------------------------------------------------------------------

async function imageExists(docker: Dockerode, tag: string): Promise<boolean> {
  try {
    await docker.getImage(tag).inspect();
    return true;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return false;
    throw err;
  }
}

/** Builds `tag` from a context (Dockerfile at its root) with the engine's API. */
export async function buildImage(
  docker: Dockerode,
  tag: string,
  context: readonly TarEntry[],
): Promise<string> {
  const stream = await docker.buildImage(Readable.from([tarArchive(context)]), {
    t: tag,
    rm: true,
    forcerm: true,
  });
  await followProgress(stream as Readable).catch((err: Error) => {
    throw new Error(`building the test image ${tag} failed: ${err.message}`);
  });
  return tag;
}

const built = new WeakMap<Dockerode, Map<string, Promise<string>>>();

function once(docker: Dockerode, tag: string, build: () => Promise<string>): Promise<string> {
  const memo = built.get(docker) ?? new Map<string, Promise<string>>();
  built.set(docker, memo);
  let pending = memo.get(tag);
  if (!pending) {
    pending = build();
    memo.set(tag, pending);
    pending.catch(() => memo.delete(tag));
  }
  return pending;
}

/**
 * `pipewright-test/busybox:1`: FROM scratch, /bin/busybox with every applet linked at its usual
 * place (`busybox --list-full`), /tmp, /root, a root user, PATH set.
 */
export function ensureBusyboxImage(docker: Dockerode): Promise<string> {
  return once(docker, BUSYBOX_IMAGE, async () => {
    if (await imageExists(docker, BUSYBOX_IMAGE)) return BUSYBOX_IMAGE;
    const busybox = findStaticBusybox();
    const { stdout } = await run(busybox, ["--list-full"]);
    const applets = stdout
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line && line !== "bin/busybox");
    const dirs = new Set(["bin", "sbin", "usr", "usr/bin", "usr/sbin", "etc", "var"]);
    for (const applet of applets) dirs.add(applet.slice(0, applet.lastIndexOf("/")));
    const entries: TarEntry[] = [
      {
        type: "file",
        name: "Dockerfile",
        data: Buffer.from(`FROM scratch\nCOPY rootfs/ /\nENV PATH=${PATH}\nCMD ["sh"]\n`),
      },
      { type: "dir", name: "rootfs" },
      ...[...dirs].sort().map((dir): TarEntry => ({ type: "dir", name: `rootfs/${dir}` })),
      { type: "dir", name: "rootfs/tmp", mode: 0o1777 },
      { type: "dir", name: "rootfs/root", mode: 0o700 },
      { type: "file", name: "rootfs/etc/passwd", data: Buffer.from("root:x:0:0:root:/root:/bin/sh\n") },
      { type: "file", name: "rootfs/etc/group", data: Buffer.from("root:x:0:\n") },
      { type: "file", name: "rootfs/bin/busybox", data: readFileSync(busybox), mode: 0o755 },
      ...applets.map(
        (applet): TarEntry => ({ type: "symlink", name: `rootfs/${applet}`, target: "/bin/busybox" }),
      ),
    ];
    return buildImage(docker, BUSYBOX_IMAGE, entries);
  });
}

export interface DockerCliImageOptions {
  /** The docker CLI binary to put in (default: a static one if the machine has it, else any). */
  readonly cli?: string;
  /** The image's tag (default `pipewright-test/docker-cli:1`). */
  readonly tag?: string;
}

/**
 * The busybox image plus a docker CLI usable inside it: a static CLI as /usr/local/bin/docker,
 * or (Debian's docker.io ships a dynamically linked one) the binary at /usr/bin/docker with the
 * loader and libraries `ldd` names, at the same paths.
 */
export function ensureDockerCliImage(
  docker: Dockerode,
  options: DockerCliImageOptions = {},
): Promise<string> {
  const tag = options.tag ?? DOCKER_CLI_IMAGE;
  return once(docker, tag, async () => {
    const base = await ensureBusyboxImage(docker);
    if (await imageExists(docker, tag)) return tag;
    const candidates = options.cli
      ? [options.cli]
      : executables("docker", ["/usr/local/bin/docker", "/usr/bin/docker"]);
    const cli = candidates.find(isStaticExecutable) ?? candidates[0];
    if (!cli) throw new Error("No docker CLI on this machine (install the docker.io package)");
    const files: TarEntry[] = [];
    const dirs = new Set<string>();
    const add = (path: string, data: Buffer) => {
      const parts = path.split("/").filter(Boolean);
      for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join("/"));
      files.push({ type: "file", name: `rootfs/${parts.join("/")}`, data, mode: 0o755 });
    };
    if (isStaticExecutable(cli)) {
      add("/usr/local/bin/docker", readFileSync(cli));
    } else {
      add("/usr/bin/docker", readFileSync(cli));
      for (const library of await sharedLibraries(cli)) add(library, readFileSync(realpathSync(library)));
    }
    return buildImage(docker, tag, [
      { type: "file", name: "Dockerfile", data: Buffer.from(`FROM ${base}\nCOPY rootfs/ /\n`) },
      { type: "dir", name: "rootfs" },
      ...[...dirs].sort().map((dir): TarEntry => ({ type: "dir", name: `rootfs/${dir}` })),
      ...files,
    ]);
  });
}

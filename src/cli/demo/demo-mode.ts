import { existsSync, readFileSync, statSync } from "node:fs";
import { delimiter, join } from "node:path";
import { locateEngine } from "../../build-agent/executors/docker-engine.js";

/** How the demo runs its application: real images and containers, or host processes. */
export type DemoRuntime = "docker" | "process";

export interface DemoMode {
  readonly runtime: DemoRuntime;
  /** One line for the user: which mode and why. */
  readonly reason: string;
  /** docker mode: the statically linked busybox the image is built from. */
  readonly busybox?: string;
}

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
    if (phoff + i * phentsize + 4 > elf.length) return false;
    if (u32(phoff + i * phentsize) === 3) return false;
  }
  return true;
}

function onPath(name: string, env: NodeJS.ProcessEnv, extra: readonly string[] = []): string[] {
  const dirs = (env.PATH ?? "").split(delimiter).filter(Boolean);
  return [...extra, ...dirs.map((d) => join(d, name))].filter((p) => {
    try {
      return existsSync(p) && statSync(p).isFile();
    } catch {
      return false;
    }
  });
}

/**
 * Picks the mode: `docker` when a Docker Engine (or Podman) API answers, the `docker` CLI is on
 * PATH (the build runs it) and a static busybox exists (the image is built FROM scratch with it:
 * there is no base image to pull); `process` otherwise. `forced` (--runtime) is checked the same
 * way and fails with the reason instead of falling back.
 */
export async function chooseDemoMode(
  forced: DemoRuntime | undefined,
  env: NodeJS.ProcessEnv,
): Promise<DemoMode | { readonly error: string }> {
  const processMode = (why: string): DemoMode => ({
    runtime: "process",
    reason: `host processes (${why}): the build writes a local image directory, ECS tasks run \`node server.mjs\` in it`,
  });
  if (forced === "process") return processMode("--runtime process");
  const search = await locateEngine({ env, timeoutMs: 1500 });
  const missing = !search.engine
    ? search.reason
    : onPath("docker", env).length === 0
      ? "no docker CLI on PATH for the build to run"
      : undefined;
  const busybox = onPath("busybox", env, ["/bin/busybox", "/usr/bin/busybox"]).find(isStaticExecutable);
  const problem = missing ?? (busybox ? undefined : "no statically linked busybox (Debian: busybox-static)");
  if (problem) {
    if (forced === "docker") return { error: `--runtime docker: ${problem}` };
    return processMode(problem);
  }
  return {
    runtime: "docker",
    reason: `containers on ${search.engine?.describe} (images built FROM scratch with ${busybox})`,
    busybox: busybox!,
  };
}

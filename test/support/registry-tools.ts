import { execFile, spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

/**
 * Real clients for registry tests: the Debian AWS CLI (/usr/bin/aws, v2.9) and the docker CLI
 * with a private DOCKER_CONFIG (so `docker login` never touches the user's own credentials).
 * Images are built FROM scratch with the static busybox, so no registry is ever pulled from.
 */
const run = promisify(execFile);
export const AWS = "/usr/bin/aws";

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program, resolving with its exit code instead of rejecting; `input` goes to stdin. */
export function runTool(
  program: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { env: options.env ?? process.env, cwd: options.cwd });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 120_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(options.input ?? "");
  });
}

/** Environment for /usr/bin/aws against a Pipewright endpoint (no config files, no pager). */
export function awsEnv(
  home: string,
  keys = { id: "AKIDREGISTRY", secret: "registry-secret" },
): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    AWS_ACCESS_KEY_ID: keys.id,
    AWS_SECRET_ACCESS_KEY: keys.secret,
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_PAGER: "",
    AWS_MAX_ATTEMPTS: "1",
  };
}

/** `aws <args> --endpoint-url <endpoint> --output json`, parsed when it prints JSON. */
export async function awsJson(
  endpoint: string,
  env: NodeJS.ProcessEnv,
  ...args: string[]
): Promise<CliResult & { json: Record<string, unknown> }> {
  const result = await runTool(AWS, [...args, "--endpoint-url", endpoint, "--output", "json"], { env });
  let json: Record<string, unknown> = {};
  if (result.code === 0 && result.stdout.trim().startsWith("{")) json = JSON.parse(result.stdout);
  return { ...result, json };
}

/** Whether a Docker engine answers, and a reason when it does not. */
export async function dockerEngine(): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    await run("docker", ["info", "--format", "{{.ServerVersion}}"], { timeout: 10_000 });
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: `docker info failed: ${(error as Error).message.split("\n")[0]}` };
  }
}

/** A docker CLI with its own config directory (logins stay in the test). */
export function createDocker() {
  const config = mkdtempSync(join(tmpdir(), "pw-docker-config-"));
  const env = { ...process.env, DOCKER_CONFIG: config, DOCKER_BUILDKIT: "0" };
  return {
    config,
    env,
    run: (args: readonly string[], input?: string) =>
      runTool("docker", args, { env, ...(input === undefined ? {} : { input }), timeoutMs: 300_000 }),
  };
}

/**
 * A two-layer image (busybox, then a marker file), FROM scratch: `docker build` of a context
 * written here. Returns the context directory.
 */
export function imageContext(marker: string, extra?: { name: string; bytes: number }): string {
  const dir = mkdtempSync(join(tmpdir(), "pw-image-"));
  mkdirSync(join(dir, "files"));
  copyFileSync("/bin/busybox", join(dir, "busybox"));
  writeFileSync(join(dir, "marker.txt"), `${marker}\n`);
  const lines = ["FROM scratch", "COPY busybox /bin/busybox", "COPY marker.txt /marker.txt"];
  if (extra) {
    writeFileSync(join(dir, extra.name), Buffer.alloc(extra.bytes, 7));
    lines.push(`COPY ${extra.name} /${extra.name}`);
  }
  lines.push('CMD ["/bin/busybox", "cat", "/marker.txt"]');
  writeFileSync(join(dir, "Dockerfile"), `${lines.join("\n")}\n`);
  return dir;
}

/** The digest `docker push` printed (`<tag>: digest: sha256:... size: N`). */
export function pushedDigest(output: string): string {
  const match = /digest: (sha256:[0-9a-f]{64})/u.exec(output);
  if (!match) throw new Error(`no digest in docker push output:\n${output}`);
  return match[1]!;
}

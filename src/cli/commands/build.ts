import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { createSelector } from "../../build-agent/executors/select-executor.js";
import { createBuildAgent } from "../../build-agent/run-build.js";
import type {
  AgentResult,
  ArtifactOutput,
  ExecutorPreference,
  SecretResolver,
  TypedVariableInput,
} from "../../build-agent/types.js";
import { parseBuildspec } from "../../buildspec/parse-buildspec.js";
import { gitHead } from "../git-head.js";
import type { CommandIo } from "../output.js";

export interface BuildCommandOptions {
  /** `-s DIR` (primary, default the current directory) and `-s id:DIR` (secondary). */
  readonly sources: readonly string[];
  readonly buildspec?: string;
  readonly artifacts?: string;
  readonly reports?: string;
  readonly envFile?: string;
  readonly image?: string;
  readonly executor?: ExecutorPreference;
  readonly credentials: boolean;
  readonly profile?: string;
  readonly privileged: boolean;
  readonly timeout?: string;
  readonly cache: boolean;
  readonly region: string;
  readonly accountId: string;
  readonly projectName?: string;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Parameter Store and Secrets Manager values, from a Pipewright data directory. */
  readonly secrets?: SecretResolver;
  /** The data directory `secrets` were looked for in (named when a build asks for one it lacks). */
  readonly dataDir?: string;
  /** Directories a sandboxed build must not see (the data directory the secrets come from). */
  readonly hide?: readonly string[];
  readonly signal: AbortSignal;
}

const IDENTIFIER = /^[A-Za-z0-9_]{1,127}$/;

/**
 * `pipewright build`: runs a buildspec here with CodeBuild's semantics (the build agent the
 * server uses), streaming the log, and exits 0 when the build SUCCEEDED, 1 otherwise, 2 for
 * bad options. The primary source is used in place (like the local agent's `-m`): nothing is
 * copied, and files the build writes stay. Options follow AWS's codebuild_build.sh.
 */
export async function buildCommand(o: BuildCommandOptions, io: CommandIo): Promise<number> {
  const fail = (message: string) => {
    io.stderr(`pipewright build: ${message}\n`);
    return 2;
  };
  const primaries = o.sources.filter((s) => !/^[A-Za-z0-9_]+:/.test(s) || existsSync(s));
  const secondaryArgs = o.sources.filter((s) => !primaries.includes(s));
  if (primaries.length > 1) return fail("give one primary source (-s DIR); secondary ones as -s id:DIR");
  const sourceDir = resolve(o.cwd, primaries[0] ?? ".");
  if (!existsSync(sourceDir)) return fail(`source directory ${sourceDir} does not exist`);
  const secondary = new Map<string, string>();
  for (const arg of secondaryArgs) {
    const colon = arg.indexOf(":");
    const id = arg.slice(0, colon);
    const dir = resolve(o.cwd, arg.slice(colon + 1));
    if (!IDENTIFIER.test(id)) return fail(`secondary source identifier ${id} must be letters, digits or _`);
    if (!existsSync(dir)) return fail(`secondary source directory ${dir} does not exist`);
    secondary.set(id, dir);
  }
  const buildspecPath = o.buildspec ? resolve(o.cwd, o.buildspec) : join(sourceDir, "buildspec.yml");
  let buildspecText: string;
  try {
    buildspecText = readFileSync(buildspecPath, "utf8");
  } catch {
    return fail(`cannot read the buildspec ${buildspecPath} (give another with -b FILE)`);
  }
  const timeoutMs = parseDuration(o.timeout ?? "60m");
  if (timeoutMs === undefined) return fail(`--timeout ${o.timeout} is not a duration such as 90s, 10m or 1h`);
  let overrides: TypedVariableInput[];
  try {
    overrides = [...(o.envFile ? readEnvFile(resolve(o.cwd, o.envFile)) : []), ...credentialVariables(o)];
  } catch (error) {
    return fail((error as Error).message);
  }

  // Parsed here only to name the artifact zips: the agent parses it again (and reports its
  // errors), and a parse costs 5 to 15 ms of a short build's start-up.
  const parsed = o.artifacts ? parseBuildspec(buildspecText) : undefined;
  const outputs: ArtifactOutput[] = [];
  if (o.artifacts && parsed?.ok && parsed.value.buildspec.artifacts) {
    const dir = resolve(o.cwd, o.artifacts);
    await mkdir(dir, { recursive: true });
    outputs.push({ zipPath: join(dir, "artifacts.zip") });
    for (const s of parsed.value.buildspec.artifacts.secondary) {
      outputs.push({ identifier: s.identifier, zipPath: join(dir, `${s.identifier}.zip`) });
    }
  }

  const preference: ExecutorPreference = o.executor ?? (o.image ? "container" : "auto");
  const image = o.image ?? "pipewright/host";
  const selector = createSelector({ hide: o.hide ?? [] });
  let choice: Awaited<ReturnType<typeof selector.choose>>;
  try {
    choice = await selector
      .choose(image, preference === "auto" && !o.image ? "sandbox" : preference)
      .catch(async (error: Error) => {
        if (preference === "auto") return selector.choose(image, "host");
        throw error;
      });
  } catch (error) {
    return fail((error as Error).message);
  }
  if (preference === "auto" && !o.image && choice.executor.kind === "host") {
    choice = {
      ...choice,
      notice: "bubblewrap is not available here: the build runs on the host WITHOUT a sandbox",
    };
  }

  const root = await mkdtemp(join(tmpdir(), "pipewright-build-"));
  const projectName = o.projectName ?? (basename(sourceDir).replace(/[^A-Za-z0-9_-]/g, "-") || "local");
  const uuid = randomUUID();
  const start = Date.now();
  let result: AgentResult;
  try {
    result = await createBuildAgent().run({
      build: {
        id: `${projectName}:${uuid}`,
        arn: `arn:aws:codebuild:${o.region}:${o.accountId}:build/${projectName}:${uuid}`,
        number: 1,
        projectName,
        initiator: o.env.USER ?? "pipewright-cli",
        region: o.region,
        accountId: o.accountId,
        startTime: start,
        image,
        logPath: uuid,
      },
      root,
      primarySourceDir: sourceDir,
      secondarySourceIds: [...secondary.keys()],
      downloadSource: async (dirs) => {
        for (const [id, dir] of secondary) {
          const target = dirs.secondary.get(id);
          if (target) await copyTree(dir, target);
        }
        return gitSourceInfo(sourceDir);
      },
      buildspec: { kind: "file", path: buildspecPath },
      projectVariables: [],
      overrideVariables: overrides,
      secrets: o.secrets ?? noLocalSecrets(o.dataDir),
      executor: choice.executor,
      ...(choice.notice === undefined ? {} : { executorNotice: choice.notice }),
      privileged: o.privileged,
      baseEnv: hostEnvironment(o.env),
      timeoutMs,
      signal: o.signal,
      outputs,
      ...(o.cache ? { cacheDir: cacheDirFor(sourceDir, o.env) } : {}),
      now: () => Date.now(),
      listener: { log: (line) => io.stdout(`${line}\n`), phases: () => {} },
    });
  } finally {
    await selector.close();
    await rm(root, { recursive: true, force: true }).catch(() => {});
  }

  if (o.reports && result.reports.length > 0) {
    const dir = resolve(o.cwd, o.reports);
    await mkdir(dir, { recursive: true });
    for (const report of result.reports) {
      await writeFile(
        join(dir, `${report.group.replace(/[^A-Za-z0-9_.-]/g, "_")}.json`),
        `${JSON.stringify(report, null, 2)}\n`,
      );
    }
  }
  summarize(result, Date.now() - start, outputs, io);
  return result.buildStatus === "SUCCEEDED" ? 0 : 1;
}

/**
 * Lookups of a build run without a data directory: CodeBuild's message first (scripts match
 * it), then where a local build gets Parameter Store and Secrets Manager from.
 */
export function noLocalSecrets(dataDir: string | undefined): SecretResolver {
  const where = dataDir
    ? `pipewright build found no Pipewright data directory at ${dataDir}`
    : "pipewright build was given no Pipewright data directory";
  const fix =
    "pass --data-dir DIR of the server that holds it (the server may be running; put values with " +
    "aws ssm put-parameter / aws secretsmanager create-secret --endpoint-url), or run the build on " +
    "that server with aws codebuild start-build";
  return {
    parameter: async (name) => {
      throw new Error(`Parameter does not exist: ${name} (${where}: ${fix})`);
    },
    secret: async () => {
      throw new Error(
        `Secrets Manager Error: ResourceNotFoundException: Secrets Manager can't find the specified secret. (${where}: ${fix})`,
      );
    },
  };
}

function summarize(result: AgentResult, ms: number, outputs: readonly ArtifactOutput[], io: CommandIo): void {
  const lines = [
    "",
    `Build ${result.buildStatus} in ${(ms / 1000).toFixed(1)} s`,
    ...result.phases
      .filter((p) => p.phaseType !== "COMPLETED")
      .map((p) => {
        const context = p.contexts[0]?.statusCode
          ? ` (${p.contexts[0].statusCode}: ${p.contexts[0].message})`
          : "";
        const seconds = p.endTime === undefined ? "" : ` ${((p.endTime - p.startTime) / 1000).toFixed(1)} s`;
        return `  ${p.phaseType.padEnd(17)}${(p.phaseStatus ?? "").padEnd(10)}${seconds}${context}`;
      }),
    ...result.exportedVariables.map((v) => `  exported ${v.name}=${v.value}`),
    ...result.artifacts.map((a) => `  artifact ${a.zipPath} (${a.bytes} bytes)`),
    ...result.reports.map(
      (r) =>
        `  report ${r.group}: ${r.summary.total} test(s), ${Object.entries(r.summary.statusCounts)
          .map(([k, v]) => `${v} ${k}`)
          .join(", ")}`,
    ),
  ];
  if (outputs.length === 0) lines.push("  (artifacts not written: pass -a DIR to keep them)");
  io.stdout(`${lines.join("\n")}\n`);
}

/** `VAR=VAL` lines; `#` comments and blank lines ignored; quotes kept literally (as AWS's -e). */
export function readEnvFile(path: string): TypedVariableInput[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new Error(`cannot read the env file ${path}`);
  }
  const out: TypedVariableInput[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === "" || line.trimStart().startsWith("#")) return;
    const eq = line.indexOf("=");
    const name = eq > 0 ? line.slice(0, eq).trim() : "";
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new Error(`${path}:${i + 1}: expected NAME=VALUE, got: ${line}`);
    }
    out.push({ name, value: line.slice(eq + 1), type: "PLAINTEXT" });
  });
  return out;
}

/** `-c`: the host's AWS_* variables (and `-p` as AWS_PROFILE) reach the build. */
function credentialVariables(o: BuildCommandOptions): TypedVariableInput[] {
  if (!o.credentials) return [];
  const vars = Object.entries(o.env).flatMap(([name, value]) =>
    name.startsWith("AWS_") && value !== undefined ? [{ name, value, type: "PLAINTEXT" as const }] : [],
  );
  const home = o.env.HOME ?? homedir();
  for (const [name, file] of [
    ["AWS_CONFIG_FILE", join(home, ".aws", "config")],
    ["AWS_SHARED_CREDENTIALS_FILE", join(home, ".aws", "credentials")],
  ] as const) {
    if (!o.env[name] && existsSync(file)) vars.push({ name, value: file, type: "PLAINTEXT" });
  }
  if (o.profile) vars.push({ name: "AWS_PROFILE", value: o.profile, type: "PLAINTEXT" });
  return vars;
}

function hostEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  const keep = ["PATH", "HOME", "LANG", "LC_ALL", "TERM", "TZ", "USER"];
  return Object.fromEntries(keep.flatMap((k) => (env[k] === undefined ? [] : [[k, env[k] as string]])));
}

/** CODEBUILD_RESOLVED_SOURCE_VERSION from the source's git HEAD (the local agent leaves it empty). */
function gitSourceInfo(dir: string): { resolvedSourceVersion?: string; sourceVersion?: string } {
  const head = gitHead(dir);
  return head ? { resolvedSourceVersion: head, sourceVersion: head } : {};
}

async function copyTree(from: string, to: string): Promise<void> {
  const { cp } = await import("node:fs/promises");
  await cp(from, to, { recursive: true, verbatimSymlinks: true });
}

function cacheDirFor(sourceDir: string, env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CACHE_HOME ?? join(env.HOME ?? homedir(), ".cache");
  const key = Buffer.from(sourceDir).toString("base64url").slice(-64);
  return join(base, "pipewright", "builds", key);
}

/** `90s`, `10m`, `1h`, or plain minutes. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m?.[1]) return undefined;
  const n = Number(m[1]);
  const unit = m[2] ?? "m";
  const ms = unit === "ms" ? n : unit === "s" ? n * 1000 : unit === "m" ? n * 60_000 : n * 3_600_000;
  return ms > 0 ? ms : undefined;
}

import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createHostExecutor } from "../../src/build-agent/executors/host-executor.js";
import { runBuild } from "../../src/build-agent/run-build.js";
import {
  type AgentRequest,
  type AgentResult,
  type Executor,
  noSecrets,
  type SecretResolver,
  type TypedVariableInput,
} from "../../src/build-agent/types.js";

export interface AgentRun {
  readonly result: AgentResult;
  /** Every log line as written. */
  readonly log: string[];
  /** Log lines that are not the agent's own (`[Container] ...`): what commands printed. */
  readonly output: string[];
  /** The agent's own messages without their time prefix. */
  readonly agent: string[];
  readonly root: string;
  readonly sourceDir: string;
  /** Phase type -> status, in order (COMPLETED has none). */
  readonly phases: [string, string | undefined][];
}

export interface RunOptions {
  readonly files?: Readonly<Record<string, string>>;
  readonly project?: readonly TypedVariableInput[];
  readonly override?: readonly TypedVariableInput[];
  readonly secrets?: SecretResolver;
  readonly executor?: Executor;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly outputs?: readonly { identifier?: string; name: string }[];
  readonly cacheDir?: string;
  readonly secondary?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly source?: { resolvedSourceVersion?: string; sourceVersion?: string; sourceRepoUrl?: string };
  /** Keep the build root (for looking at artifacts); removed by cleanupRuns(). */
  readonly baseEnv?: Readonly<Record<string, string>>;
  readonly onLine?: (line: string) => void;
  /** The build's image (CODEBUILD_BUILD_IMAGE; the container executor runs it). */
  readonly image?: string;
  readonly privileged?: boolean;
}

const made: string[] = [];

/** Removes every directory the runs of this test file made. */
export async function cleanupRuns(): Promise<void> {
  await Promise.all(made.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}

const PREFIX = /^\[Container\] \d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}\.\d{6} /;

/** Runs a buildspec through the real agent on the host, in a fresh directory. */
export async function runAgent(buildspec: string, options: RunOptions = {}): Promise<AgentRun> {
  const base = await mkdtemp(join(tmpdir(), "pw-agent-"));
  made.push(base);
  const root = join(base, "root");
  const outDir = join(base, "out");
  await mkdir(outDir, { recursive: true });
  const log: string[] = [];
  const output: string[] = [];
  let sourceDir = "";
  const request: AgentRequest = {
    build: {
      id: "demo:0b6f4e2a-1111-2222-3333-444455556666",
      arn: "arn:aws:codebuild:eu-west-1:111122223333:build/demo:0b6f4e2a-1111-2222-3333-444455556666",
      number: 7,
      projectName: "demo",
      initiator: "codepipeline/release",
      region: "eu-west-1",
      accountId: "111122223333",
      startTime: Date.UTC(2026, 10, 23, 12, 0, 0),
      image: options.image ?? "aws/codebuild/standard:7.0",
      logPath: "0b6f4e2a-1111-2222-3333-444455556666",
      buildUrl: "http://127.0.0.1:4577/_pipewright/builds/demo:0b6f4e2a",
    },
    root,
    secondarySourceIds: Object.keys(options.secondary ?? {}),
    downloadSource: async (dirs) => {
      sourceDir = dirs.primary;
      await writeFiles(dirs.primary, { "buildspec.yml": buildspec, ...(options.files ?? {}) });
      for (const [id, files] of Object.entries(options.secondary ?? {})) {
        const dir = dirs.secondary.get(id);
        if (dir) await writeFiles(dir, files);
      }
      return options.source ?? {};
    },
    buildspec: { kind: "file", path: "buildspec.yml" },
    projectVariables: options.project ?? [],
    overrideVariables: options.override ?? [],
    secrets: options.secrets ?? noSecrets,
    executor: options.executor ?? createHostExecutor(),
    privileged: options.privileged ?? false,
    baseEnv: options.baseEnv ?? { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: "/tmp/pw-home" },
    timeoutMs: options.timeoutMs ?? 60_000,
    signal: options.signal ?? new AbortController().signal,
    outputs: (options.outputs ?? []).map((o) => ({
      ...(o.identifier === undefined ? {} : { identifier: o.identifier }),
      zipPath: join(outDir, `${o.name}.zip`),
    })),
    ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }),
    now: () => Date.now(),
    listener: {
      log: (line, origin) => {
        log.push(line);
        if (origin === "output") output.push(line);
        options.onLine?.(line);
      },
      phases: () => {},
    },
  };
  const result = await runBuild(request);
  return {
    result,
    log,
    output,
    agent: log.filter((l) => PREFIX.test(l)).map((l) => l.replace(PREFIX, "")),
    root,
    sourceDir,
    phases: result.phases.map((p) => [p.phaseType, p.phaseStatus]),
  };
}

export async function writeFiles(dir: string, files: Readonly<Record<string, string>>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content, { mode: name.endsWith(".sh") ? 0o755 : 0o644 });
  }
}

/** The phase's context (status code and message) of the first phase of that type. */
export function contextOf(
  run: AgentRun,
  phaseType: string,
): { statusCode: string; message: string } | undefined {
  return run.result.phases.find((p) => p.phaseType === phaseType)?.contexts[0];
}

/** A SecretResolver over fixed values, failing like the real ones for anything else. */
export function fixedSecrets(
  parameters: Record<string, string>,
  secrets: Record<string, string> = {},
): SecretResolver {
  return {
    parameter: async (name) => {
      const value = parameters[name];
      if (value === undefined) throw new Error(`Parameter does not exist: ${name}`);
      return value;
    },
    secret: async (ref) => {
      const value = secrets[ref.secretId];
      if (value === undefined) {
        throw new Error(
          "Secrets Manager Error: ResourceNotFoundException: Secrets Manager can't find the specified secret.",
        );
      }
      if (ref.jsonKey === undefined) return value;
      const field = (JSON.parse(value) as Record<string, string>)[ref.jsonKey];
      if (field === undefined) throw new Error(`no key ${ref.jsonKey} in secret ${ref.secretId}`);
      return field;
    },
  };
}

import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { DEMO_SOURCES } from "../demo/app-repository.js";
import { createDemoApi } from "../demo/demo-api.js";
import { chooseDemoMode, type DemoRuntime } from "../demo/demo-mode.js";
import { DEMO } from "../demo/demo-names.js";
import { type DemoOutcome, runDemoStory } from "../demo/demo-story.js";
import { startEmbeddedServer } from "../demo/embedded-server.js";
import { stopDemoServices } from "../demo/stop-services.js";
import { ExitCode, UsageError } from "../exit-codes.js";
import type { CommandIo } from "../output.js";

export interface DemoEnvironment {
  readonly env: NodeJS.ProcessEnv;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

/**
 * `pipewright demo`: issue 16's commit-to-production story on this machine (docs/demo.md).
 * Exit code 0 only when every check held; 1 when one did not; 2 for bad options.
 */
export async function demoCommand(
  args: readonly string[],
  io: CommandIo,
  e: DemoEnvironment,
): Promise<ExitCode> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      runtime: { type: "string" },
      yes: { type: "boolean", short: "y", default: false },
      stop: { type: "boolean", default: false },
      down: { type: "boolean", default: false },
      "endpoint-url": { type: "string" },
      region: { type: "string" },
      dir: { type: "string" },
      port: { type: "string" },
      timeout: { type: "string", default: "300" },
    },
  });
  if (positionals.length > 0) throw new UsageError(`demo takes no arguments, got ${positionals.join(" ")}`);
  const runtime = values.runtime;
  if (runtime !== undefined && runtime !== "docker" && runtime !== "process") {
    throw new UsageError(`--runtime must be docker or process, got '${runtime}'`);
  }
  const timeoutS = Number(values.timeout);
  if (!Number.isFinite(timeoutS) || timeoutS <= 0)
    throw new UsageError(`--timeout takes seconds, got '${values.timeout}'`);
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) {
    throw new UsageError(`--port takes a port number (0: any free port), got '${values.port}'`);
  }
  const endpointUrl = values["endpoint-url"];
  if (endpointUrl !== undefined && !/^https?:\/\/[^/\s]+/u.test(endpointUrl)) {
    throw new UsageError(`--endpoint-url must be an http:// or https:// URL, got '${endpointUrl}'`);
  }
  const print = (line: string) => io.stdout(`${line}\n`);
  const began = e.now();
  if (values.down) {
    if (!values.dir) throw new UsageError("--down needs --dir DIR: the directory a demo printed");
    return downCommand(resolve(values.dir), print, e);
  }

  const mode = await chooseDemoMode(runtime as DemoRuntime | undefined, e.env);
  if ("error" in mode) {
    io.stderr(`pipewright demo: ${mode.error}; run it with --runtime process (host processes) instead\n`);
    return ExitCode.failed;
  }
  const sdk = legacySdkProblem();
  if (sdk && !endpointUrl) {
    io.stderr(`pipewright demo: ${sdk}\n`);
    return ExitCode.failed;
  }
  const dir = values.dir ? resolve(values.dir) : mkdtempSync(join(tmpdir(), "pipewright-demo-"));
  mkdirSync(dir, { recursive: true });
  print(`Pipewright demo: commit to production on this machine`);
  print(`  mode:      ${mode.reason}`);
  print(`  directory: ${dir}`);

  const server = endpointUrl
    ? undefined
    : await startEmbeddedServer({
        dataDir: join(dir, "data"),
        logFile: join(dir, "server.log"),
        runtime: mode.runtime,
        env: e.env,
        ...(port === undefined ? {} : { port }),
      });
  const endpoint = endpointUrl ?? server!.endpoint;
  if (server) writeFileSync(join(dir, "server.json"), `${JSON.stringify({ pid: server.pid, endpoint })}\n`);
  print(
    server
      ? `  server:    ${endpoint} (pid ${server.pid}, data in ${join(dir, "data")}, log ${server.logFile})`
      : `  server:    ${endpoint} (--endpoint-url)`,
  );
  const api = createDemoApi({
    endpoint,
    region: values.region ?? e.env.AWS_REGION ?? e.env.AWS_DEFAULT_REGION ?? "us-east-1",
    credentials: {
      accessKeyId: e.env.AWS_ACCESS_KEY_ID || "pipewright-anonymous",
      secretAccessKey: e.env.AWS_SECRET_ACCESS_KEY || "pipewright-anonymous",
      ...(e.env.AWS_SESSION_TOKEN ? { sessionToken: e.env.AWS_SESSION_TOKEN } : {}),
    },
    now: e.now,
  });
  let outcome: DemoOutcome | undefined;
  let failure: Error | undefined;
  try {
    outcome = await runDemoStory(api, mode, {
      dir,
      accountId: "000000000000",
      yes: values.yes,
      print,
      sleep: e.sleep,
      now: e.now,
      timeoutMs: timeoutS * 1000,
      ...(e.env.AWS_ACCESS_KEY_ID && e.env.AWS_SECRET_ACCESS_KEY
        ? { gitCredentials: { user: e.env.AWS_ACCESS_KEY_ID, password: e.env.AWS_SECRET_ACCESS_KEY } }
        : {}),
    });
  } catch (error) {
    failure = error as Error;
    io.stderr(`pipewright demo: ${failure.message}\n`);
  }
  printSummary(print, outcome, e.now() - began);
  print(`\nInspect it: the console at ${endpoint}/console/pipelines/${api.region}/${DEMO.pipeline}`);
  print(`  pipewright status ${DEMO.pipeline} --endpoint-url ${endpoint}`);
  print(
    `  aws ecs describe-services --endpoint-url ${endpoint} --cluster production --services ${DEMO.service}`,
  );
  if (server && values.stop) {
    await stopDemoServices(api, e.sleep);
    await server.stop();
    print(`The server has stopped (--stop); its data stays in ${join(dir, "data")}.`);
  } else if (server) {
    server.detach();
    print(`\nThe server keeps running (pid ${server.pid}) so everything stays inspectable.`);
    print(`  When done (removes the demo's tasks, stops the server): pipewright demo --down --dir ${dir}`);
  }
  const held = !failure && outcome !== undefined && outcome.checks.every((c) => c.held);
  print(held ? "\nEverything held." : "\nSomething did not hold (see FAIL above).");
  return held ? ExitCode.ok : ExitCode.failed;
}

function printSummary(print: (line: string) => void, outcome: DemoOutcome | undefined, totalMs: number) {
  if (!outcome || outcome.runs.length === 0) return;
  const stages = [...new Set(outcome.runs.flatMap((r) => r.execution?.stages.map((s) => s.stage) ?? []))];
  const header = [
    "stage".padEnd(18),
    ...outcome.runs.map((r) => `${r.label} (${r.commit.slice(0, 7)})`.padStart(20)),
  ];
  print(`\nSummary (wall time per stage, from ListActionExecutions)`);
  print(`  ${header.join(" ")}`);
  for (const stage of stages) {
    const cells = outcome.runs.map((r) => {
      const s = r.execution?.stages.find((x) => x.stage === stage);
      return (s ? `${(s.ms / 1000).toFixed(1)} s ${s.status === "Succeeded" ? "" : s.status}` : "-")
        .trim()
        .padStart(20);
    });
    print(`  ${stage.padEnd(18)} ${cells.join(" ")}`);
  }
  const totals = outcome.runs.map((r) =>
    (r.execution ? `${(r.execution.ms / 1000).toFixed(1)} s ${r.execution.status}` : "-").padStart(20),
  );
  print(`  ${"execution".padEnd(18)} ${totals.join(" ")}`);
  print(`  demo wall time: ${(totalMs / 1000).toFixed(1)} s`);
}

/** `--down --dir DIR`: deletes the demo's services, then stops the server that demo started. */
async function downCommand(
  dir: string,
  print: (line: string) => void,
  e: DemoEnvironment,
): Promise<ExitCode> {
  let server: { pid: number; endpoint: string };
  try {
    server = JSON.parse(readFileSync(join(dir, "server.json"), "utf8")) as typeof server;
  } catch {
    throw new UsageError(`${dir} holds no server.json: is it the directory a demo printed?`);
  }
  const api = createDemoApi({
    endpoint: server.endpoint,
    region: e.env.AWS_REGION ?? e.env.AWS_DEFAULT_REGION ?? "us-east-1",
    credentials: { accessKeyId: "pipewright-anonymous", secretAccessKey: "pipewright-anonymous" },
    now: e.now,
  });
  await stopDemoServices(api, e.sleep).catch(() => undefined);
  try {
    process.kill(server.pid, "SIGTERM");
    print(
      `Deleted the demo's services and stopped the server (pid ${server.pid}); its data stays in ${dir}.`,
    );
  } catch {
    print(`The server (pid ${server.pid}) was not running.`);
  }
  return ExitCode.ok;
}

/**
 * The demo's functions use the legacy aws-sdk v2, which functions resolve from Pipewright's own
 * node_modules (docs/lambda.md). It is a devDependency: a clone after `npm ci` has it, a package
 * installed without dev dependencies does not, and the IntegrationTest would fail obscurely.
 */
function legacySdkProblem(): string | undefined {
  try {
    createRequire(join(DEMO_SOURCES, "..", "..", "package.json")).resolve("aws-sdk");
    return undefined;
  } catch {
    return "the demo's functions need the legacy aws-sdk v2 next to Pipewright (it is a devDependency): run `npm ci` in the clone, or `npm install aws-sdk@2` in Pipewright's directory";
  }
}

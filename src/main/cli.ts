import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { UsageError } from "../cli/exit-codes.js";
import { CLIENT_COMMANDS, commandHelp, globalUsage } from "../cli/help.js";
import type { CommandIo } from "../cli/output.js";
import {
  ConfigError,
  defaultServerConfig,
  executionConfigFromEnv,
  parseCredentials,
  type ServerConfig,
} from "./config.js";
import { createConsoleLogger } from "./console-logger.js";
import { PIPEWRIGHT_VERSION } from "./version.js";

/** The `pipewright` command. Returns the exit code; `serve` resolves only when stopped. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  const io: CommandIo = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTty: Boolean(process.stdout.isTTY),
    readFile: (p) => readFileSync(p, "utf8"),
  };
  const usage = globalUsage(PIPEWRIGHT_VERSION);
  // `pipewright build --help`, `-h`, `help build`: that command's help, exit 0.
  const helpFor =
    command === "help" ? rest[0] : rest.includes("--help") || rest.includes("-h") ? command : undefined;
  if (helpFor !== undefined && command !== undefined) {
    const text = commandHelp[helpFor];
    if (text !== undefined) {
      io.stdout(text);
      return 0;
    }
    if (command === "help") {
      io.stderr(`pipewright: no command '${helpFor}'\n\n${usage}`);
      return 2;
    }
  }
  try {
    if (command !== undefined && CLIENT_COMMANDS.has(command)) {
      const { runClientCli } = await import("../cli/client-commands.js");
      return await runClientCli(command, rest, io, {
        env: process.env,
        now: () => Date.now(),
        sleep: (ms, signal) =>
          new Promise<void>((done) => {
            const timer = setTimeout(done, ms);
            signal?.addEventListener("abort", () => {
              clearTimeout(timer);
              done();
            });
          }),
        signal: interruptSignal(),
      });
    }
    switch (command) {
      case "serve":
        return await serve(rest);
      case "validate":
        return await validate(rest, io);
      case "build":
        return await build(rest, io);
      case "demo": {
        const { demoCommand } = await import("../cli/commands/demo.js");
        return await demoCommand(rest, io, {
          env: process.env,
          now: () => Date.now(),
          sleep: (ms) => new Promise((done) => setTimeout(done, ms)),
        });
      }
      case "--version":
      case "version":
        io.stdout(`${PIPEWRIGHT_VERSION}\n`);
        return 0;
      case undefined:
      case "help":
      case "--help":
      case "-h":
        io.stdout(usage);
        return 0;
      default:
        io.stderr(`pipewright: unknown command '${command}'\n\n${usage}`);
        return 2;
    }
  } catch (error) {
    if (
      error instanceof ConfigError ||
      error instanceof UsageError ||
      (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")
    ) {
      // Option and argument mistakes point at the command's help; ConfigError messages (a
      // port in use, a data directory taken) already say what to do.
      const known =
        !(error instanceof ConfigError) && command !== undefined && commandHelp[command] !== undefined;
      io.stderr(
        known
          ? `pipewright ${command}: ${(error as Error).message} (pipewright ${command} --help)\n`
          : `pipewright: ${(error as Error).message}\n`,
      );
      return 2;
    }
    throw error;
  }
}

/** Aborted on the first SIGINT / SIGTERM: `status --watch` and `logs -f` end cleanly (exit 0). */
function interruptSignal(): AbortSignal {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  return stop.signal;
}

// Commands load what they need when they run: `pipewright build` should not pay for the server
// (SQLite, the HTTP stack) and `--version` for nothing at all.
async function validate(args: readonly string[], io: CommandIo): Promise<number> {
  const [{ validateCommand }, { serverRuns }] = await Promise.all([
    import("../cli/commands/validate.js"),
    import("./server-action-types.js"),
  ]);
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      json: { type: "boolean", default: false },
      region: { type: "string", default: defaultServerConfig.region },
      "account-id": { type: "string", default: defaultServerConfig.accountId },
    },
  });
  const [file] = positionals;
  if (!file || positionals.length > 1) throw new ConfigError("validate takes exactly one FILE");
  return validateCommand(
    { file, json: values.json, region: values.region, accountId: values["account-id"], runs: serverRuns },
    io,
  );
}

async function build(args: readonly string[], io: CommandIo): Promise<number> {
  const { buildCommand } = await import("../cli/commands/build.js");

  const { values } = parseArgs({
    args: [...args],
    options: {
      buildspec: { type: "string", short: "b" },
      source: { type: "string", short: "s", multiple: true },
      artifacts: { type: "string", short: "a" },
      reports: { type: "string", short: "r" },
      "env-file": { type: "string", short: "e" },
      image: { type: "string", short: "i" },
      credentials: { type: "boolean", short: "c", default: false },
      profile: { type: "string", short: "p" },
      privileged: { type: "boolean", short: "d", default: false },
      executor: { type: "string" },
      timeout: { type: "string" },
      "no-cache": { type: "boolean", default: false },
      "data-dir": { type: "string" },
      "project-name": { type: "string" },
      region: { type: "string" },
      "account-id": { type: "string" },
    },
  });
  const executor = values.executor;
  if (executor !== undefined && !["auto", "host", "sandbox", "container"].includes(executor)) {
    throw new ConfigError(`--executor must be auto, host, sandbox or container, got '${executor}'`);
  }
  const d = defaultServerConfig;
  const region = values.region ?? process.env.PIPEWRIGHT_REGION ?? process.env.AWS_REGION ?? d.region;
  const accountId = values["account-id"] ?? process.env.PIPEWRIGHT_ACCOUNT_ID ?? d.accountId;
  const dataDir = resolve(values["data-dir"] ?? process.env.PIPEWRIGHT_DATA_DIR ?? d.dataDir);
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  // SQLite is loaded only when the data directory exists.
  const secrets = existsSync(join(dataDir, "pipewright.db"))
    ? (await import("./data-dir-secrets.js")).openDataDirSecrets(dataDir, { accountId, region })
    : undefined;
  try {
    return await buildCommand(
      {
        sources: values.source ?? [],
        ...(values.buildspec === undefined ? {} : { buildspec: values.buildspec }),
        ...(values.artifacts === undefined ? {} : { artifacts: values.artifacts }),
        ...(values.reports === undefined ? {} : { reports: values.reports }),
        ...(values["env-file"] === undefined ? {} : { envFile: values["env-file"] }),
        ...(values.image === undefined ? {} : { image: values.image }),
        ...(executor === undefined ? {} : { executor: executor as "auto" }),
        credentials: values.credentials ?? false,
        ...(values.profile === undefined ? {} : { profile: values.profile }),
        privileged: values.privileged ?? false,
        ...(values.timeout === undefined ? {} : { timeout: values.timeout }),
        cache: !values["no-cache"],
        region,
        accountId,
        ...(values["project-name"] === undefined ? {} : { projectName: values["project-name"] }),
        cwd: process.cwd(),
        env: process.env,
        ...(secrets ? { secrets: secrets.resolver } : {}),
        dataDir,
        hide: [dataDir],
        signal: stop.signal,
      },
      io,
    );
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await secrets?.close();
  }
}

async function serve(args: readonly string[]): Promise<number> {
  const { startServer } = await import("./server.js");
  const { values } = parseArgs({
    args: [...args],
    options: {
      host: { type: "string" },
      port: { type: "string" },
      "data-dir": { type: "string" },
      region: { type: "string" },
      "account-id": { type: "string" },
      "max-body-bytes": { type: "string" },
    },
  });
  const d = defaultServerConfig;
  const config: ServerConfig = {
    host: values.host ?? process.env.PIPEWRIGHT_HOST ?? d.host,
    port: Number(values.port ?? process.env.PIPEWRIGHT_PORT ?? d.port),
    dataDir: values["data-dir"] ?? process.env.PIPEWRIGHT_DATA_DIR ?? d.dataDir,
    region: values.region ?? process.env.PIPEWRIGHT_REGION ?? d.region,
    accountId: values["account-id"] ?? process.env.PIPEWRIGHT_ACCOUNT_ID ?? d.accountId,
    credentials: parseCredentials(process.env.PIPEWRIGHT_CREDENTIALS),
    maxBodyBytes: Number(values["max-body-bytes"] ?? d.maxBodyBytes),
    execution: executionConfigFromEnv(process.env),
  };
  const logger = createConsoleLogger();
  const server = await startServer(config, logger);
  const signing = config.credentials.length > 0 ? "SigV4 required" : "loopback only, any or no signature";
  process.stdout.write(
    `Pipewright ${PIPEWRIGHT_VERSION} listening on ${server.endpoint} (${signing}); data in ${config.dataDir}\n\n` +
      "Try it with the AWS CLI:\n" +
      `  aws codepipeline list-pipelines --endpoint-url ${server.endpoint} --region ${config.region}\n` +
      `  aws codepipeline create-pipeline --cli-input-json file://pipeline.json --endpoint-url ${server.endpoint}\n`,
  );
  await new Promise<void>((done) => {
    const stop = () => {
      server.close().then(done, done);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  return 0;
}

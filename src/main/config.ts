/**
 * Server configuration from flags and environment. Defaults give the embedded setup: loopback,
 * port 4577, SQLite in ./.pipewright, account 000000000000, region us-east-1.
 */
export interface Credential {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly region: string;
  readonly accountId: string;
  /** When non-empty, every AWS request must carry a valid SigV4 signature from one of these. */
  readonly credentials: readonly Credential[];
  readonly maxBodyBytes: number;
  readonly execution: ExecutionConfig;
}

/** How executions run: timeouts, leases, test providers (environment variables, see README). */
export interface ExecutionConfig {
  /** Shorter action timeouts (`PIPEWRIGHT_ACTION_TIMEOUTS="Approval/Manual=600000,Custom=60000"`, ms). */
  readonly actionTimeouts: Readonly<Record<string, number>>;
  /** How long an external worker may hold a polled job before acknowledging it. */
  readonly dispatchLeaseMs: number;
  /** How long an acknowledged external job may go without a sign of life; undefined: its action's timeout. */
  readonly jobLeaseMs?: number;
  readonly maxJobAttempts: number;
  /** Whether CreatePipeline runs the new pipeline once, as AWS does. */
  readonly startOnCreate: boolean;
  /** Register the scriptable PipewrightTest provider (for tests and benchmarks only). */
  readonly testProviders: boolean;
  /** Where the test provider records completed work (the crash test reads it). */
  readonly testMarkerDir?: string;
  readonly pollIntervalMs: number;
  /** How often polled sources (PollForSourceChanges, connection repositories) are looked at. */
  readonly sourcePollIntervalMs: number;
  /** CodeBuild: `auto` (a container when the image is on the engine, else the host), host, sandbox, container. */
  readonly buildExecutor: "auto" | "host" | "sandbox" | "container";
  readonly maxConcurrentBuilds: number;
  /** CodeBuild: how long a minute of timeoutInMinutes lasts (tests shorten it). */
  readonly buildMinuteMs: number;
  /** CodeBuild: keep build workspaces after the build, for debugging. */
  readonly keepBuildWorkspaces: boolean;
}

export const defaultExecutionConfig: ExecutionConfig = {
  actionTimeouts: {},
  dispatchLeaseMs: 60_000,
  maxJobAttempts: 3,
  startOnCreate: true,
  testProviders: false,
  pollIntervalMs: 1_000,
  sourcePollIntervalMs: 30_000,
  buildExecutor: "auto",
  maxConcurrentBuilds: 8,
  buildMinuteMs: 60_000,
  keepBuildWorkspaces: false,
};

/** Reads the execution settings from the environment; malformed values are a ConfigError. */
export function executionConfigFromEnv(env: NodeJS.ProcessEnv): ExecutionConfig {
  const number = (name: string, fallback: number | undefined, min: number): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min)
      throw new ConfigError(`${name} must be a number of at least ${min}, got '${raw}'`);
    return value;
  };
  const d = defaultExecutionConfig;
  const jobLease = number("PIPEWRIGHT_JOB_LEASE_SECONDS", undefined, 1);
  const marker = env.PIPEWRIGHT_TEST_MARKER_DIR;
  return {
    actionTimeouts: parseTimeouts(env.PIPEWRIGHT_ACTION_TIMEOUTS),
    dispatchLeaseMs: (number("PIPEWRIGHT_DISPATCH_LEASE_SECONDS", d.dispatchLeaseMs / 1000, 1) ?? 60) * 1000,
    ...(jobLease === undefined ? {} : { jobLeaseMs: jobLease * 1000 }),
    maxJobAttempts: number("PIPEWRIGHT_MAX_JOB_ATTEMPTS", d.maxJobAttempts, 1) ?? d.maxJobAttempts,
    startOnCreate: (env.PIPEWRIGHT_START_ON_CREATE ?? "true") !== "false",
    testProviders: env.PIPEWRIGHT_TEST_PROVIDERS === "1" || env.PIPEWRIGHT_TEST_PROVIDERS === "true",
    ...(marker ? { testMarkerDir: marker } : {}),
    pollIntervalMs: number("PIPEWRIGHT_POLL_INTERVAL_MS", d.pollIntervalMs, 10) ?? d.pollIntervalMs,
    sourcePollIntervalMs:
      (number("PIPEWRIGHT_SOURCE_POLL_SECONDS", d.sourcePollIntervalMs / 1000, 1) ?? 30) * 1000,
    buildExecutor: buildExecutor(env.PIPEWRIGHT_BUILD_EXECUTOR),
    maxConcurrentBuilds:
      number("PIPEWRIGHT_MAX_CONCURRENT_BUILDS", d.maxConcurrentBuilds, 1) ?? d.maxConcurrentBuilds,
    buildMinuteMs: number("PIPEWRIGHT_BUILD_MINUTE_MS", d.buildMinuteMs, 1) ?? d.buildMinuteMs,
    keepBuildWorkspaces:
      env.PIPEWRIGHT_KEEP_BUILD_WORKSPACES === "1" || env.PIPEWRIGHT_KEEP_BUILD_WORKSPACES === "true",
  };
}

function buildExecutor(text: string | undefined): ExecutionConfig["buildExecutor"] {
  const value = text === undefined || text === "" ? "auto" : text;
  if (value === "auto" || value === "host" || value === "sandbox" || value === "container") return value;
  throw new ConfigError(`PIPEWRIGHT_BUILD_EXECUTOR must be auto, host, sandbox or container, got '${text}'`);
}

/** `KEY=MS[,KEY=MS]`, keys as engine/timeouts.ts reads them (`Approval/Manual`, `Build`, `Custom`, `*`). */
export function parseTimeouts(text: string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  if (!text) return out;
  for (const entry of text.split(",")) {
    const [key, value] = entry.split("=");
    const ms = Number(value);
    if (!key || !Number.isFinite(ms) || ms <= 0) {
      throw new ConfigError(
        `PIPEWRIGHT_ACTION_TIMEOUTS entry '${entry}' must look like Category/Provider=MILLISECONDS`,
      );
    }
    out[key.trim()] = ms;
  }
  return out;
}

export const defaultServerConfig: ServerConfig = {
  host: "127.0.0.1",
  port: 4577,
  dataDir: ".pipewright",
  region: "us-east-1",
  accountId: "000000000000",
  credentials: [],
  maxBodyBytes: 10 * 1024 * 1024,
  execution: defaultExecutionConfig,
};

/** `PIPEWRIGHT_CREDENTIALS="AKID1:SECRET1,AKID2:SECRET2"`; malformed entries are an error. */
export function parseCredentials(text: string | undefined): Credential[] {
  if (!text) return [];
  return text.split(",").map((entry) => {
    const colon = entry.indexOf(":");
    if (colon <= 0 || colon === entry.length - 1) {
      throw new ConfigError(
        `credentials entry '${entry.slice(0, 24)}' must look like ACCESS_KEY_ID:SECRET_ACCESS_KEY`,
      );
    }
    return { accessKeyId: entry.slice(0, colon).trim(), secretAccessKey: entry.slice(colon + 1).trim() };
  });
}

/** A configuration the user must fix; the CLI prints the message without a stack. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/u.test(host);
}

export function checkServerConfig(config: ServerConfig): void {
  if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535) {
    throw new ConfigError(`--port must be an integer from 0 to 65535, got ${config.port}`);
  }
  if (!/^[0-9]{12}$/u.test(config.accountId)) {
    throw new ConfigError(`--account-id must be 12 digits, got '${config.accountId}'`);
  }
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/u.test(config.region)) {
    throw new ConfigError(`--region must look like us-east-1, got '${config.region}'`);
  }
  if (!isLoopback(config.host) && config.credentials.length === 0) {
    throw new ConfigError(
      `refusing to listen on ${config.host} without credentials: anyone who can reach it could change pipelines. ` +
        "Set PIPEWRIGHT_CREDENTIALS=ACCESS_KEY_ID:SECRET_ACCESS_KEY (SigV4 is then verified) or bind to 127.0.0.1",
    );
  }
  if (!Number.isInteger(config.maxBodyBytes) || config.maxBodyBytes < 1024) {
    throw new ConfigError(`--max-body-bytes must be an integer of at least 1024, got ${config.maxBodyBytes}`);
  }
}

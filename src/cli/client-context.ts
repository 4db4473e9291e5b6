import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { AwsApiError, type ClientConfig, EndpointUnreachableError } from "../client/aws-json-client.js";
import { ProfileError, type ResolvedProfile, resolveProfile } from "../client/aws-profile.js";
import { type CodeBuildClient, createCodeBuildClient } from "../client/codebuild-client.js";
import { type CodePipelineClient, createCodePipelineClient } from "../client/codepipeline-client.js";
import { ExitCode, UsageError } from "./exit-codes.js";
import type { CommandIo } from "./output.js";
import { createStyle, type Style } from "./style.js";

/** The local server's address, as `pipewright serve` listens by default. */
export const DEFAULT_ENDPOINT = "http://127.0.0.1:4577";

/** Options every client command takes (parseArgs form). */
export const clientOptions = {
  "endpoint-url": { type: "string" },
  region: { type: "string" },
  profile: { type: "string" },
  json: { type: "boolean", default: false },
} as const;

export interface ClientOptionValues {
  readonly "endpoint-url"?: string | undefined;
  readonly region?: string | undefined;
  readonly profile?: string | undefined;
  readonly json?: boolean | undefined;
}

/** What a client command runs with: the AWS clients, where it writes, and how. */
export interface ClientContext {
  readonly config: ClientConfig;
  readonly codepipeline: CodePipelineClient;
  readonly codebuild: CodeBuildClient;
  readonly io: CommandIo;
  readonly json: boolean;
  readonly style: Style;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: () => number;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly signal?: AbortSignal;
}

export interface ClientEnvironment {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: () => number;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly signal?: AbortSignal;
  readonly fetch?: typeof fetch;
  /** Reads a shared AWS file (undefined when it does not exist); default: the file system. */
  readonly readFile?: (path: string) => string | undefined;
}

/**
 * The AWS CLI's conventions: `--endpoint-url` (else PIPEWRIGHT_ENDPOINT, else the local
 * server); keys from `--profile`, else AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY /
 * AWS_SESSION_TOKEN, else the profile AWS_PROFILE names (or `default`) in the shared files;
 * `--region`, else AWS_REGION, AWS_DEFAULT_REGION, the profile's region, us-east-1. Without keys
 * the requests are signed with a placeholder key: a server without PIPEWRIGHT_CREDENTIALS takes
 * any signature, and one with keys answers 403, which names the variables to set.
 */
export function createClientContext(
  values: ClientOptionValues,
  io: CommandIo,
  e: ClientEnvironment,
): ClientContext {
  const env = e.env;
  const endpoint = values["endpoint-url"] ?? env.PIPEWRIGHT_ENDPOINT ?? DEFAULT_ENDPOINT;
  if (endpoint !== "aws" && !/^https?:\/\/[^/\s]+/.test(endpoint)) {
    const from = values["endpoint-url"] === undefined ? "PIPEWRIGHT_ENDPOINT" : "--endpoint-url";
    throw new UsageError(
      `${from} must be an http:// or https:// URL (such as ${DEFAULT_ENDPOINT}) or aws, got '${endpoint}'`,
    );
  }
  const profile = sharedProfile(values.profile ?? env.AWS_PROFILE, env, e.readFile ?? readIfExists);
  // An explicit --profile beats the key variables; AWS_PROFILE does not (the AWS CLI's order).
  const fromEnv = values.profile === undefined && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY;
  const keys: ResolvedProfile = fromEnv
    ? {
        accessKeyId: env.AWS_ACCESS_KEY_ID,
        secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
        ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
      }
    : profile;
  const region = values.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? profile.region ?? "us-east-1";
  const config: ClientConfig = {
    endpoint,
    region,
    credentials: {
      accessKeyId: keys.accessKeyId || "pipewright-anonymous",
      secretAccessKey: keys.secretAccessKey || "pipewright-anonymous",
      ...(keys.sessionToken ? { sessionToken: keys.sessionToken } : {}),
    },
    now: e.now,
    ...(e.fetch ? { fetch: e.fetch } : {}),
  };
  return {
    config,
    codepipeline: createCodePipelineClient(config),
    codebuild: createCodeBuildClient(config),
    io,
    json: values.json ?? false,
    style: createStyle(io.isTty, env),
    env,
    now: e.now,
    sleep: e.sleep,
    ...(e.signal ? { signal: e.signal } : {}),
  };
}

/** The shared files' profile, from AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE or ~/.aws. */
function sharedProfile(
  name: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  read: (path: string) => string | undefined,
): ResolvedProfile {
  const home = env.HOME ?? homedir();
  const credentials = read(env.AWS_SHARED_CREDENTIALS_FILE ?? join(home, ".aws", "credentials"));
  const config = read(env.AWS_CONFIG_FILE ?? join(home, ".aws", "config"));
  try {
    return resolveProfile(
      { ...(credentials === undefined ? {} : { credentials }), ...(config === undefined ? {} : { config }) },
      name,
    );
  } catch (error) {
    if (error instanceof ProfileError) throw new UsageError(error.message);
    throw error;
  }
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

/** A failure the command already explained: exit with this code after printing nothing more. */
export class CommandFailure extends Error {
  constructor(
    readonly code: ExitCode,
    message: string,
  ) {
    super(message);
    this.name = "CommandFailure";
  }
}

const NOT_FOUND = new Set([
  "PipelineNotFoundException",
  "StageNotFoundException",
  "ActionNotFoundException",
  "PipelineExecutionNotFoundException",
  "ResourceNotFoundException",
]);
const DENIED = new Set([
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "MissingAuthenticationTokenException",
  "IncompleteSignatureException",
  "AccessDeniedException",
  "ExpiredTokenException",
  "InvalidClientTokenId",
  "SignatureDoesNotMatch",
]);

/** The exit code and one-line message for an error of a client command. */
export function describeFailure(error: unknown, config: ClientConfig): { code: ExitCode; message: string } {
  if (error instanceof CommandFailure) return { code: error.code, message: error.message };
  if (error instanceof EndpointUnreachableError) {
    const local = config.endpoint === DEFAULT_ENDPOINT;
    return {
      code: ExitCode.unreachable,
      message: `${error.message}${local ? " (start a server with `pipewright serve`, or point --endpoint-url / PIPEWRIGHT_ENDPOINT at one)" : " (check --endpoint-url / PIPEWRIGHT_ENDPOINT)"}`,
    };
  }
  if (error instanceof AwsApiError) {
    if (NOT_FOUND.has(error.type))
      return { code: ExitCode.notFound, message: `${error.type}: ${error.message}` };
    if (DENIED.has(error.type) || error.status === 403) {
      return {
        code: ExitCode.denied,
        message: `${error.type}: ${error.message} (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to a key the server knows: PIPEWRIGHT_CREDENTIALS on a Pipewright server)`,
      };
    }
    return { code: ExitCode.failed, message: `${error.type}: ${error.message}` };
  }
  throw error;
}

/** Runs a client command: prints a failure as `pipewright CMD: message` (or JSON) and returns its exit code. */
export async function runClientCommand(
  name: string,
  ctx: ClientContext,
  body: () => Promise<ExitCode>,
): Promise<ExitCode> {
  try {
    return await body();
  } catch (error) {
    const { code, message } = describeFailure(error, ctx.config);
    if (ctx.json) {
      const type = error instanceof AwsApiError ? error.type : (error as Error).name;
      ctx.io.stderr(`${JSON.stringify({ error: { type, message, exitCode: code } })}\n`);
    } else {
      ctx.io.stderr(`pipewright ${name}: ${message}\n`);
    }
    return code;
  }
}

/** Seconds since the epoch (JSON 1.1 timestamps) as `2026-12-03 12:40:05` UTC. */
export function formatTime(seconds: number | undefined): string {
  if (seconds === undefined) return "-";
  return new Date(seconds * 1000)
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, "Z");
}

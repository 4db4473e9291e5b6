import { type AwsCredentials, signRequest } from "./sigv4-sign.js";

/** Where and as whom the client calls. */
export interface ClientConfig {
  /**
   * One endpoint for every service (a Pipewright server, `http://127.0.0.1:4577`), or `aws`:
   * each service's own regional AWS endpoint (`https://codepipeline.us-east-1.amazonaws.com`).
   */
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: AwsCredentials;
  /** Milliseconds since the epoch (signatures carry the time). */
  readonly now: () => number;
  readonly fetch?: typeof fetch;
}

/** The server answered with an AWS error (`__type`), or with something that is not its JSON. */
export class AwsApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = "AwsApiError";
  }
}

/** No answer at all: the endpoint refused the connection, did not resolve, or timed out. */
export class EndpointUnreachableError extends Error {
  constructor(
    readonly endpoint: string,
    cause: unknown,
  ) {
    const why = (cause as { cause?: { code?: string; message?: string } })?.cause;
    super(`cannot reach ${endpoint}: ${why?.code ?? why?.message ?? (cause as Error).message}`, { cause });
    this.name = "EndpointUnreachableError";
  }
}

/** The one JSON 1.1 services the client speaks, by target prefix and signing name. */
export const SERVICES = {
  codepipeline: { target: "CodePipeline_20150709", signingName: "codepipeline" },
  codebuild: { target: "CodeBuild_20161006", signingName: "codebuild" },
  codecommit: { target: "CodeCommit_20150413", signingName: "codecommit" },
  ecr: { target: "AmazonEC2ContainerRegistry_V20150921", signingName: "ecr" },
  ecs: { target: "AmazonEC2ContainerServiceV20141113", signingName: "ecs" },
} as const;
export type ServiceName = keyof typeof SERVICES;

/** The base URL a service is called at in a region. */
export function serviceEndpoint(
  config: Pick<ClientConfig, "endpoint">,
  service: ServiceName,
  region: string,
): string {
  if (config.endpoint === "aws") return `https://${SERVICES[service].signingName}.${region}.amazonaws.com`;
  return config.endpoint.replace(/\/+$/, "");
}

/**
 * Calls one operation of an AWS JSON 1.1 service (POST /, `X-Amz-Target: Prefix.Operation`,
 * SigV4-signed) and returns the parsed answer. Throws AwsApiError with AWS's exception name
 * (`PipelineNotFoundException`, ...) or EndpointUnreachableError.
 */
export async function callJson<T>(
  config: ClientConfig,
  service: ServiceName,
  operation: string,
  input: object,
  region: string = config.region,
): Promise<T> {
  const base = serviceEndpoint(config, service, region);
  const url = new URL(`${base}/`);
  const body = JSON.stringify(input);
  const headers = signRequest({
    method: "POST",
    url,
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": `${SERVICES[service].target}.${operation}`,
    },
    body,
    region,
    service: SERVICES[service].signingName,
    credentials: config.credentials,
    now: config.now(),
  });
  delete headers.host;
  let response: Response;
  try {
    response = await (config.fetch ?? fetch)(url, { method: "POST", headers, body });
  } catch (error) {
    throw new EndpointUnreachableError(base, error);
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === "" ? {} : JSON.parse(text);
  } catch {
    throw new AwsApiError(
      "UnexpectedResponse",
      `${base} answered ${operation} with HTTP ${response.status} and a body that is not JSON (is it an AWS endpoint?): ${text.slice(0, 200)}`,
      response.status,
    );
  }
  if (!response.ok) {
    const error = parsed as { __type?: string; message?: string; Message?: string };
    const type = (error.__type ?? response.headers.get("x-amzn-errortype") ?? `HTTP${response.status}`)
      .split("#")
      .pop()!
      .split(":")[0]!;
    throw new AwsApiError(type, error.message ?? error.Message ?? `HTTP ${response.status}`, response.status);
  }
  return parsed as T;
}

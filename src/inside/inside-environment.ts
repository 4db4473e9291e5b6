/**
 * The variables that make AWS clients inside a build, an ECS task or a function talk to
 * Pipewright with the session's credentials, and nothing else (pure):
 *  - AWS_CONTAINER_CREDENTIALS_FULL_URI + AWS_CONTAINER_AUTHORIZATION_TOKEN: the container
 *    credentials provider of every SDK and CLI (botocore, SDK v2 and v3) fetches the keys there.
 *    Loopback only: botocore accepts http full URIs only for 127.0.0.1 and localhost.
 *  - AWS_ENDPOINT_URL: read by SDK v3, boto3 from 1.28 and the AWS CLI from 2.13.
 *  - PATH: the shim directory first, whose `aws` adds --endpoint-url for CLIs that ignore
 *    AWS_ENDPOINT_URL (Debian's 2.9) and answers the CLI v1 `aws ecr get-login`.
 *  - NODE_OPTIONS: a preload that points the JavaScript SDK v2 (no endpoint variable) at us.
 *  - PYTHONPATH: a sitecustomize that does the same for botocore before 1.31 (Debian's boto3).
 *  - AWS_EC2_METADATA_DISABLED: no 1-second instance-metadata probes on a machine without it.
 */
export interface InsideEnvironmentInput {
  /** `http://127.0.0.1:<port>`: how the code reaches the server. */
  readonly endpoint: string;
  /** `host:port` of the registry (what `aws ecr get-login` names). */
  readonly registryHost: string;
  readonly authorizationToken: string;
  /** Where the shims are, as the code sees it. */
  readonly shimDir: string;
}

export const CREDENTIALS_PATH = "/_pipewright/inside/credentials";
export const LOGIN_PASSWORD_PATH = "/_pipewright/inside/ecr-login-password";
export const SDK_V2_PRELOAD = "aws-sdk-v2-endpoint.cjs";

export function insideEnvironment(input: InsideEnvironmentInput): Record<string, string> {
  return {
    AWS_CONTAINER_CREDENTIALS_FULL_URI: `${input.endpoint}${CREDENTIALS_PATH}`,
    AWS_CONTAINER_AUTHORIZATION_TOKEN: input.authorizationToken,
    AWS_ENDPOINT_URL: input.endpoint,
    AWS_EC2_METADATA_DISABLED: "true",
    PIPEWRIGHT_ENDPOINT: input.endpoint,
    PIPEWRIGHT_REGISTRY: input.registryHost,
    NODE_OPTIONS: `--require ${input.shimDir}/${SDK_V2_PRELOAD}`,
    PYTHONPATH: `${input.shimDir}/python`,
  };
}

/** The container credentials endpoint's answer (ECS's shape: Token, ISO Expiration). */
export function credentialsDocument(session: {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: number;
}): Record<string, string> {
  return {
    AccessKeyId: session.accessKeyId,
    SecretAccessKey: session.secretAccessKey,
    Token: session.sessionToken,
    Expiration: new Date(session.expiration).toISOString(),
  };
}

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
}

export const defaultServerConfig: ServerConfig = {
  host: "127.0.0.1",
  port: 4577,
  dataDir: ".pipewright",
  region: "us-east-1",
  accountId: "000000000000",
  credentials: [],
  maxBodyBytes: 10 * 1024 * 1024,
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

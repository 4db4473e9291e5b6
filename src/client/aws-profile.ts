/**
 * The AWS CLI's shared files, read as the CLI reads them for static keys: the credentials file
 * (`[name]` sections) and the config file (`[default]`, `[profile name]`), keys
 * `aws_access_key_id`, `aws_secret_access_key`, `aws_session_token` and `region`. Profiles
 * that get their keys another way (SSO, `credential_process`, `role_arn`, web identity) are
 * named in an error instead of being signed for with nothing. Pure: the caller reads the files.
 */

export interface ProfileFiles {
  /** The credentials file's text (undefined: there is none). */
  readonly credentials?: string;
  /** The config file's text (undefined: there is none). */
  readonly config?: string;
}

export interface ResolvedProfile {
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
  readonly sessionToken?: string;
  readonly region?: string;
}

/** What a profile uses instead of static keys, which only the AWS CLI and the SDKs resolve. */
const INDIRECT = [
  "sso_session",
  "sso_start_url",
  "credential_process",
  "role_arn",
  "web_identity_token_file",
];

export class ProfileError extends Error {}

/** Sections of an INI text: name -> key -> value (keys lower-cased, `#` and `;` comments dropped). */
export function parseIni(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const raw of text.split(/\r?\n/u)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[\s*([^\]]+?)\s*\]$/u.exec(line);
    if (header) {
      const name = header[1]!;
      current = sections.get(name) ?? new Map();
      sections.set(name, current);
      continue;
    }
    // Indented lines continue a nested block (`s3 =` then `  max_concurrent_requests = 2`): skipped.
    if (!current || /^\s/u.test(raw)) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) continue;
    current.set(line.slice(0, eq).trim().toLowerCase(), line.slice(eq + 1).trim());
  }
  return sections;
}

/**
 * The keys and region of profile `name` (`default` when not named). A profile that is in
 * neither file is an error only when it was asked for by name; `default` may be absent.
 */
export function resolveProfile(files: ProfileFiles, name: string | undefined): ResolvedProfile {
  const profile = name ?? "default";
  const credentials = parseIni(files.credentials ?? "").get(profile);
  const configs = parseIni(files.config ?? "");
  const config =
    configs.get(profile === "default" ? "default" : `profile ${profile}`) ?? configs.get(profile);
  if (!credentials && !config) {
    if (name === undefined || name === "default") return {};
    throw new ProfileError(
      `The profile '${profile}' is in neither the credentials file nor the config file; set AWS_PROFILE or --profile to one that is, or unset it`,
    );
  }
  const get = (key: string) => credentials?.get(key) ?? config?.get(key);
  const accessKeyId = get("aws_access_key_id");
  const secretAccessKey = get("aws_secret_access_key");
  if (accessKeyId === undefined || secretAccessKey === undefined) {
    const indirect = INDIRECT.find((key) => get(key) !== undefined);
    if (indirect) {
      throw new ProfileError(
        `The profile '${profile}' gets its keys through ${indirect}, which pipewright does not resolve; export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (for example with: aws configure export-credentials --profile ${profile} --format env)`,
      );
    }
  }
  const sessionToken = get("aws_session_token");
  const region = config?.get("region") ?? credentials?.get("region");
  return {
    ...(accessKeyId === undefined || secretAccessKey === undefined ? {} : { accessKeyId, secretAccessKey }),
    ...(sessionToken === undefined ? {} : { sessionToken }),
    ...(region === undefined ? {} : { region }),
  };
}

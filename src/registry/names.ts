/**
 * Names in the registry, checked before anything else looks at them (pure). Repository names
 * follow ECR's pattern, which is stricter than the OCI distribution spec's: lower case only,
 * one of `.`, `_`, `-` between alphanumerics, `/` between components, 2 to 256 characters. So
 * `..`, a leading `/`, upper case and empty components can never name a repository.
 */
export const REPOSITORY_NAME_PATTERN = "(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*";
const repositoryName = new RegExp(`^${REPOSITORY_NAME_PATTERN}$`, "u");

export function isRepositoryName(name: string): boolean {
  return name.length >= 2 && name.length <= 256 && repositoryName.test(name);
}

/** The OCI distribution spec's tag rule (ECR allows up to 300 characters; docker sends at most 128). */
const tag = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,299}$/u;

export function isTag(value: string): boolean {
  return tag.test(value);
}

/** Only sha256 digests: Docker and every OCI client Pipewright knows of use them. */
const digest = /^sha256:[0-9a-f]{64}$/u;

export function isDigest(value: string): boolean {
  return digest.test(value);
}

/** Something that looks like a digest of an algorithm we do not take (`sha512:...`). */
export function looksLikeDigest(value: string): boolean {
  return /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/u.test(value);
}

/** `<host:port>/<name>`: the URI Docker pushes to (`repositoryUri`). */
export function repositoryUri(registryHost: string, name: string): string {
  return `${registryHost}/${name}`;
}

/** `arn:aws:ecr:<region>:<account>:repository/<name>`. */
export function repositoryArn(scope: { accountId: string; region: string }, name: string): string {
  return `arn:aws:ecr:${scope.region}:${scope.accountId}:repository/${name}`;
}

/** The repository name in an ECR repository ARN of the scope, or undefined. */
export function repositoryOfArn(
  scope: { accountId: string; region: string },
  arn: string,
): string | undefined {
  const prefix = `arn:aws:ecr:${scope.region}:${scope.accountId}:repository/`;
  return arn.startsWith(prefix) ? arn.slice(prefix.length) : undefined;
}

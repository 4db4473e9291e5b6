/**
 * The variables a build's commands see, and which of them are secrets (spec/buildspec.md §3.1,
 * §5, §7). Pure: secret values arrive already resolved.
 *
 * Precedence, lowest first: the executor's base environment (PATH, ...), the buildspec's
 * `env` (variables, then parameter-store, then secrets-manager), the project's environment
 * variables, StartBuild's `environmentVariablesOverride` (a pipeline action's
 * EnvironmentVariables arrive here), and finally the platform's CODEBUILD_* built-ins, which
 * nothing overrides. AWS_REGION, AWS_DEFAULT_REGION and HOME are platform defaults that the
 * layers above the base may replace.
 */

export const EnvironmentVariableType = {
  PLAINTEXT: "PLAINTEXT",
  PARAMETER_STORE: "PARAMETER_STORE",
  SECRETS_MANAGER: "SECRETS_MANAGER",
} as const;
export type EnvironmentVariableType = (typeof EnvironmentVariableType)[keyof typeof EnvironmentVariableType];

/** A variable as a project or a StartBuild override declares it (the API's EnvironmentVariable). */
export interface TypedVariable {
  readonly name: string;
  /** The value, or for PARAMETER_STORE / SECRETS_MANAGER the parameter name / secret reference. */
  readonly value: string;
  readonly type: EnvironmentVariableType;
}

export type VariableSource = "base" | "platform-default" | "buildspec" | "project" | "override" | "builtin";

export interface BuildVariable {
  readonly name: string;
  readonly value: string;
  /** Read from Parameter Store or Secrets Manager, or an AWS key: masked in every log line. */
  readonly secret: boolean;
  readonly source: VariableSource;
}

export interface EnvironmentLayers {
  readonly base: Readonly<Record<string, string>>;
  /** AWS_REGION, AWS_DEFAULT_REGION, HOME. */
  readonly platformDefaults: readonly BuildVariable[];
  readonly buildspec: readonly BuildVariable[];
  readonly project: readonly BuildVariable[];
  readonly override: readonly BuildVariable[];
  /** CODEBUILD_* values; these win over every other layer. */
  readonly builtins: readonly BuildVariable[];
}

/**
 * Variables whose values are credentials and are masked even when given as plain text, when
 * they look like real ones: AWS keys are at least 16 characters. A placeholder such as `test`
 * (LocalStack's convention, `pipewright build -c` with AWS_ACCESS_KEY_ID=test) is an ordinary
 * word of the user's environment, and masking it mangled every "test" in the log.
 */
const credentialNames = new Set(["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"]);
const MIN_CREDENTIAL_LENGTH = 16;

/** The final variables in a stable order (first definition's position), later layers winning. */
export function composeEnvironment(layers: EnvironmentLayers): BuildVariable[] {
  const byName = new Map<string, BuildVariable>();
  const put = (v: BuildVariable) => {
    const secret = v.secret || (credentialNames.has(v.name) && v.value.length >= MIN_CREDENTIAL_LENGTH);
    byName.set(v.name, { ...v, secret });
  };
  for (const [name, value] of Object.entries(layers.base))
    put({ name, value, secret: false, source: "base" });
  for (const layer of [
    layers.platformDefaults,
    layers.buildspec,
    layers.project,
    layers.override,
    layers.builtins,
  ]) {
    for (const v of layer) put(v);
  }
  return [...byName.values()];
}

/** The values to mask: every secret variable's value that is long enough to be worth hiding. */
export function secretValues(variables: readonly BuildVariable[]): string[] {
  return variables.filter((v) => v.secret && v.value.length > 0).map((v) => v.value);
}

/** A valid variable name for a POSIX shell. */
export function isVariableName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}

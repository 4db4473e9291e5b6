import type { BuildVariable, VariableSource } from "../buildspec/build-environment.js";
import { parseSecretReference } from "../buildspec/secret-reference.js";
import type { Buildspec } from "../buildspec/types.js";
import type { SecretResolver, TypedVariableInput } from "./types.js";

/** A phase context for a variable that could not be read (DOWNLOAD_SOURCE fails with it). */
export interface VariableError {
  readonly statusCode: string;
  readonly message: string;
}

export interface ResolvedLayers {
  readonly buildspec: BuildVariable[];
  readonly project: BuildVariable[];
  readonly override: BuildVariable[];
}

/**
 * Reads the values of every variable layer: the buildspec's `env` (variables, parameter-store,
 * secrets-manager) and the project's and StartBuild's typed variables. Parameter Store and
 * Secrets Manager values are marked secret, so the log masks them. The first lookup that fails
 * ends the resolution with CodeBuild's status code (`Decrypted Variables Error` for Parameter
 * Store, `Secrets Manager Error` for Secrets Manager).
 */
export async function resolveVariables(
  buildspec: Buildspec,
  project: readonly TypedVariableInput[],
  override: readonly TypedVariableInput[],
  secrets: SecretResolver,
): Promise<{ ok: true; layers: ResolvedLayers } | { ok: false; error: VariableError }> {
  try {
    const env = buildspec.env;
    const fromBuildspec: BuildVariable[] = [
      ...env.variables.map((v) => plain(v.name, v.value, "buildspec")),
      ...(await Promise.all(
        env.parameterStore.map(async (v) => secret(v.name, await parameter(secrets, v.value), "buildspec")),
      )),
      ...(await Promise.all(
        env.secretsManager.map(async (v) =>
          secret(v.name, await secretValue(secrets, v.reference), "buildspec"),
        ),
      )),
    ];
    return {
      ok: true,
      layers: {
        buildspec: fromBuildspec,
        project: await typed(project, "project", secrets),
        override: await typed(override, "override", secrets),
      },
    };
  } catch (error) {
    if (error instanceof LookupError) return { ok: false, error: error.context };
    throw error;
  }
}

class LookupError extends Error {
  constructor(readonly context: VariableError) {
    super(context.message);
  }
}

async function typed(
  vars: readonly TypedVariableInput[],
  source: VariableSource,
  secrets: SecretResolver,
): Promise<BuildVariable[]> {
  return Promise.all(
    vars.map(async (v) => {
      switch (v.type) {
        case "PLAINTEXT":
          return plain(v.name, v.value, source);
        case "PARAMETER_STORE":
          return secret(v.name, await parameter(secrets, v.value), source);
        case "SECRETS_MANAGER": {
          const reference = parseSecretReference(v.value);
          if (!reference.ok) {
            throw new LookupError({
              statusCode: "Secrets Manager Error",
              message: `variable ${v.name}: ${reference.error}`,
            });
          }
          return secret(v.name, await secretValue(secrets, reference.value), source);
        }
      }
    }),
  );
}

async function parameter(secrets: SecretResolver, name: string): Promise<string> {
  try {
    return await secrets.parameter(name);
  } catch (error) {
    throw new LookupError({ statusCode: "Decrypted Variables Error", message: (error as Error).message });
  }
}

async function secretValue(
  secrets: SecretResolver,
  reference: Parameters<SecretResolver["secret"]>[0],
): Promise<string> {
  try {
    return await secrets.secret(reference);
  } catch (error) {
    const message = (error as Error).message.replace(/^Secrets Manager Error: /, "");
    throw new LookupError({ statusCode: "Secrets Manager Error", message });
  }
}

function plain(name: string, value: string, source: VariableSource): BuildVariable {
  return { name, value, secret: false, source };
}

function secret(name: string, value: string, source: VariableSource): BuildVariable {
  return { name, value, secret: true, source };
}

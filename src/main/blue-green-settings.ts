import type { EcsDeployProviderOptions } from "../providers/ecs-deploy/ecs-deploy-provider.js";

/**
 * The CodeDeployToECS action's bake and green timeout from the environment
 * (docs/ecs-deploy-action.md): PIPEWRIGHT_BLUE_GREEN_BAKE_SECONDS (default 5; AWS's CodeDeploy
 * waits 60 minutes before it terminates blue) and PIPEWRIGHT_BLUE_GREEN_TIMEOUT_SECONDS
 * (default 600). A value that is not a whole number of seconds is an error naming the variable.
 */
export function blueGreenSettings(
  env: Readonly<Record<string, string | undefined>>,
): EcsDeployProviderOptions {
  const seconds = (name: string): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === "") return undefined;
    if (!/^\d+$/u.test(raw.trim()))
      throw new Error(`${name} must be a whole number of seconds (e.g. 30), not '${raw}'`);
    return Number(raw) * 1000;
  };
  const bake = seconds("PIPEWRIGHT_BLUE_GREEN_BAKE_SECONDS");
  const timeout = seconds("PIPEWRIGHT_BLUE_GREEN_TIMEOUT_SECONDS");
  return {
    ...(bake === undefined ? {} : { blueGreenBakeMs: bake }),
    ...(timeout === undefined ? {} : { blueGreenTimeoutMs: timeout }),
  };
}

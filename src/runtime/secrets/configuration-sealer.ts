import type { SecretCipher } from "./cipher.js";

/** What a sealed configuration value starts with; nothing a user writes looks like it. */
const PREFIX = "pipewright:sealed:v1:";
/** GCM's additional data: a value sealed as action configuration opens only as that. */
const CONTEXT = "action-configuration";

/**
 * Secret-typed action configuration (a GitHub OAuthToken, a custom action's secret property)
 * at rest: sealed with the data directory's key before a pipeline is stored, so the pipelines,
 * executions, events and jobs tables never hold it in clear. Only a job handed to a worker
 * (PollForJobs, GetJobDetails, the in-process worker) carries the opened value, as on AWS.
 */
export interface ConfigurationSealer {
  /** Seals a value; a value that is already sealed comes back unchanged. */
  seal(value: string): string;
  /** Opens a sealed value; any other value comes back unchanged (pipelines stored before sealing). */
  open(value: string): string;
  /** Every value of a configuration opened. */
  openAll(configuration: Readonly<Record<string, string>>): Record<string, string>;
}

export function createConfigurationSealer(cipher: SecretCipher): ConfigurationSealer {
  const open = (value: string) =>
    value.startsWith(PREFIX) ? cipher.openText(value.slice(PREFIX.length), CONTEXT) : value;
  return {
    seal: (value) => (value.startsWith(PREFIX) ? value : PREFIX + cipher.seal(value, CONTEXT)),
    open,
    openAll: (configuration) =>
      Object.fromEntries(Object.entries(configuration).map(([k, v]) => [k, open(v)])),
  };
}

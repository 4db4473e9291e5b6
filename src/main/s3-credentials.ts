import type { CredentialsResolver } from "../api/s3/deps.js";
import type { JobCredentials } from "../runtime/executions/job-credentials.js";
import type { Stores } from "../store/types.js";
import type { Credential } from "./config.js";

/**
 * Per-job artifact keys (JobData.artifactCredentials): valid while their job is open, and only
 * on the buckets holding that job's artifacts.
 */
export function jobArtifactCredentials(stores: Stores, jobCredentials: JobCredentials): CredentialsResolver {
  return async (accessKeyId) => {
    const jobId = jobCredentials.jobIdOf(accessKeyId);
    const job = jobId ? await stores.queue.getJob(jobId) : undefined;
    if (!job || (job.status !== "Dispatched" && job.status !== "InProgress")) return undefined;
    const keys = jobCredentials.forJob(job.jobId);
    const buckets = [
      ...new Set([...job.spec.inputArtifacts, ...job.spec.outputArtifacts].map((a) => a.bucket)),
    ];
    return { secretAccessKey: keys.secretAccessKey, sessionToken: keys.sessionToken, buckets };
  };
}

/**
 * The S3 front end's key resolver: the configured static keys (full access), then
 * `resolveJobCredentials` (temporary per-job keys, limited to their buckets) when given.
 */
export function s3Credentials(
  staticCredentials: readonly Credential[],
  resolveJobCredentials?: CredentialsResolver,
): CredentialsResolver {
  const secrets = new Map(staticCredentials.map((c) => [c.accessKeyId, c.secretAccessKey]));
  return async (accessKeyId) => {
    const secretAccessKey = secrets.get(accessKeyId);
    if (secretAccessKey !== undefined) return { secretAccessKey };
    return resolveJobCredentials?.(accessKeyId);
  };
}

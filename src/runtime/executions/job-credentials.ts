import { createHmac } from "node:crypto";

export interface TemporaryCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
}

const PREFIX = "PWJOB";

/**
 * Per-job artifact credentials (JobData.artifactCredentials). Derived, not stored: the access
 * key id carries the job id, and the secret and session token are HMACs of it under the
 * server's secret key, so the S3 front end can check a request signed with them without a
 * lookup table, and they die with the job (the front end accepts them only while the job is
 * open, and only on its artifact buckets).
 */
export function createJobCredentials(serverSecret: string) {
  const mac = (purpose: string, jobId: string) =>
    createHmac("sha256", serverSecret).update(`${purpose}:${jobId}`).digest();
  return {
    forJob(jobId: string): TemporaryCredentials {
      return {
        accessKeyId: `${PREFIX}${jobId.replace(/-/gu, "").toUpperCase()}`,
        secretAccessKey: mac("secret", jobId).toString("base64url"),
        sessionToken: mac("token", jobId).toString("base64"),
      };
    },
    /** The job id an access key id was made for, or undefined when it is not a job key. */
    jobIdOf(accessKeyId: string): string | undefined {
      const hex = accessKeyId.startsWith(PREFIX) ? accessKeyId.slice(PREFIX.length).toLowerCase() : "";
      if (!/^[0-9a-f]{32}$/u.test(hex)) return undefined;
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    },
  };
}

export type JobCredentials = ReturnType<typeof createJobCredentials>;

import { functionArn } from "../../runtime/functions/function-names.js";
import type { FunctionRecord } from "../../store/types.js";

/** Lambda's timestamp: `2026-12-03T12:00:00.000+0000`. */
export function lambdaTime(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "+0000");
}

/** FunctionConfiguration, as GetFunctionConfiguration and every write answer it. */
export function renderConfiguration(record: FunctionRecord): Record<string, unknown> {
  const env =
    Object.keys(record.environment).length > 0 ? { Environment: { Variables: record.environment } } : {};
  return {
    FunctionName: record.functionName,
    FunctionArn: functionArn(record.scope, record.functionName),
    Runtime: record.runtime,
    Role: record.role,
    Handler: record.handler,
    CodeSize: record.codeSize,
    Description: record.description,
    Timeout: record.timeout,
    MemorySize: record.memorySize,
    LastModified: lambdaTime(record.lastModified),
    CodeSha256: record.codeSha256,
    Version: "$LATEST",
    ...env,
    TracingConfig: { Mode: "PassThrough" },
    RevisionId: record.revisionId,
    State: "Active",
    LastUpdateStatus: "Successful",
    PackageType: "Zip",
    Architectures: ["x86_64"],
    EphemeralStorage: { Size: 512 },
    SnapStart: { ApplyOn: "None", OptimizationStatus: "Off" },
    LoggingConfig: { LogFormat: "Text", LogGroup: `/aws/lambda/${record.functionName}` },
  };
}

/** GetFunction: the configuration and where to download the code (a link this server answers). */
export function renderFunction(record: FunctionRecord, origin: string): Record<string, unknown> {
  const sha = Buffer.from(record.codeSha256, "base64").toString("hex");
  return {
    Configuration: renderConfiguration(record),
    Code: {
      RepositoryType: "S3",
      Location: `${origin}/2015-03-31/functions/${encodeURIComponent(record.functionName)}/code?CodeSha256=${sha}&Region=${record.scope.region}`,
    },
  };
}

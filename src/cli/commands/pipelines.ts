import { AwsApiError, EndpointUnreachableError } from "../../client/aws-json-client.js";
import type { PipelineSummary } from "../../client/codepipeline-client.js";
import { AWS_REGIONS } from "../../client/regions.js";
import { type ClientContext, CommandFailure, formatTime } from "../client-context.js";
import { ExitCode } from "../exit-codes.js";

/**
 * `pipewright pipelines [--regions R1,R2]`: ListPipelines in every region at once (the AWS
 * CLI asks one region per call). A region that refuses the key (an opt-in region not enabled
 * on AWS) is reported and skipped; when no region answers, the first failure is the result.
 */
export async function pipelinesCommand(
  ctx: ClientContext,
  regions: readonly string[] | undefined,
): Promise<ExitCode> {
  const asked = regions ?? AWS_REGIONS;
  const results = await Promise.all(
    asked.map(async (region) => {
      try {
        return { region, pipelines: await ctx.codepipeline.listPipelines(region) };
      } catch (error) {
        if (error instanceof EndpointUnreachableError) throw error;
        if (error instanceof AwsApiError) return { region, error };
        throw error;
      }
    }),
  );
  const answered = results.filter((r) => "pipelines" in r);
  const failed = results.flatMap((r) =>
    "error" in r && r.error ? [{ region: r.region, error: r.error }] : [],
  );
  if (answered.length === 0 && failed[0]) throw failed[0].error;
  const rows = answered.flatMap((r) =>
    (r.pipelines ?? []).map((p: PipelineSummary) => ({ region: r.region, ...p })),
  );
  if (ctx.json) {
    ctx.io.stdout(
      `${JSON.stringify(
        {
          pipelines: rows,
          ...(failed.length > 0
            ? {
                failedRegions: failed.map((f) => ({
                  region: f.region,
                  type: f.error.type,
                  message: f.error.message,
                })),
              }
            : {}),
        },
        null,
        2,
      )}\n`,
    );
  } else {
    if (rows.length === 0) ctx.io.stdout(`No pipelines in ${regions ? asked.join(", ") : "any region"}.\n`);
    else {
      const table = [
        ["REGION", "NAME", "TYPE", "VERSION", "UPDATED"],
        ...rows.map((r) => [
          r.region,
          r.name,
          r.pipelineType ?? "V1",
          String(r.version ?? "-"),
          formatTime(r.updated),
        ]),
      ];
      ctx.io.stdout(renderTable(table, ctx.style.bold));
    }
    for (const f of failed)
      ctx.io.stderr(`pipewright pipelines: ${f.region} skipped: ${f.error.type}: ${f.error.message}\n`);
  }
  if (regions && failed.length > 0) {
    throw new CommandFailure(ExitCode.failed, `${failed.length} of ${asked.length} regions did not answer`);
  }
  return ExitCode.ok;
}

/** Columns padded to their widest cell; the first row is the header. */
export function renderTable(
  rows: readonly (readonly string[])[],
  header: (t: string) => string = (t) => t,
): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows
    .map((r, n) => {
      const line = r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  ");
      return n === 0 ? header(line) : line;
    })
    .map((l) => `${l}\n`)
    .join("");
}

import { int, list, optional, string, struct } from "../../../lib/shape.js";
import { apiError } from "../../errors.js";
import { defineOperation } from "../../operation.js";
import { decodeNextToken, encodeNextToken } from "../../pagination.js";
import type { CodeBuildDeps } from "../deps.js";
import { renderReport, renderTestCases } from "../render.js";

export const batchGetReports = (deps: CodeBuildDeps) =>
  defineOperation({
    name: "BatchGetReports",
    input: struct({ reportArns: list(string({ min: 1 }), { min: 1, max: 100 }) }),
    async handle(input, ctx) {
      const reports: Record<string, unknown>[] = [];
      const reportsNotFound: string[] = [];
      for (const arn of input.reportArns) {
        const record = await deps.reports.get(ctx.scope, arn);
        if (record) reports.push(renderReport(record.document));
        else reportsNotFound.push(arn);
      }
      return { reports, reportsNotFound };
    },
  });

/** Test cases of a report, filtered by status and by a keyword in the name or prefix. */
export const describeTestCases = (deps: CodeBuildDeps) =>
  defineOperation({
    name: "DescribeTestCases",
    input: struct({
      reportArn: string(),
      nextToken: optional(string()),
      maxResults: optional(int({ min: 1, max: 100 })),
      filter: optional(struct({ status: optional(string()), keyword: optional(string()) })),
    }),
    async handle(input, ctx) {
      const record = await deps.reports.get(ctx.scope, input.reportArn);
      if (!record) throw apiError("ResourceNotFoundException", `Report ${input.reportArn} not found`);
      const status = input.filter?.status;
      const keyword = input.filter?.keyword;
      const matching = record.document.cases.filter(
        (c) =>
          (status === undefined || c.status === status) &&
          (keyword === undefined || c.name.includes(keyword) || c.prefix.includes(keyword)),
      );
      const kind = `DescribeTestCases/${input.reportArn}`;
      const offset = Number(decodeNextToken(kind, input.nextToken) ?? "0");
      const size = input.maxResults ?? 50;
      const page = matching.slice(offset, offset + size);
      const more = offset + size < matching.length;
      return {
        testCases: renderTestCases(record.document, page),
        ...(more ? { nextToken: encodeNextToken(kind, String(offset + size)) } : {}),
      };
    },
  });

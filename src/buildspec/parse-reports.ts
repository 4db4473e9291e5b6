import { errorAt, type ParseContext } from "./parse-context.js";
import {
  coverageReportFormats,
  type ReportFileFormat,
  type ReportGroupSpec,
  testReportFormats,
} from "./types.js";
import { reportUnknownKey } from "./unknown-key.js";
import {
  entryNode,
  isEmptyList,
  type MapEntry,
  readEntryEntries,
  readScalar,
  readStringList,
  readYesNo,
} from "./yaml-nodes.js";

/** CodeBuild's quota of report groups per project (spec §3.5). */
export const maxReportGroups = 5;

const reportKeys = ["files", "base-directory", "discard-paths", "file-format"] as const;
const fileFormats: readonly ReportFileFormat[] = [...testReportFormats, ...coverageReportFormats];

/**
 * Reads the `reports` section (spec §3.5): report group name or ARN -> files, base-directory,
 * discard-paths and file-format (case-insensitive, default JUNITXML). At most five groups.
 */
export function parseReports(ctx: ParseContext, entry: MapEntry): ReportGroupSpec[] {
  const groups: ReportGroupSpec[] = [];
  const entries = readEntryEntries(ctx, entry) ?? [];
  entries.forEach((child, index) => {
    if (index === maxReportGroups) {
      errorAt(
        ctx,
        child.keyNode,
        child.path,
        `reports lists ${entries.length} report groups; CodeBuild allows at most ${maxReportGroups} per project, so merge or remove some`,
      );
    }
    groups.push(parseReportGroup(ctx, child));
  });
  return groups;
}

function parseReportGroup(ctx: ParseContext, entry: MapEntry): ReportGroupSpec {
  let files: string[] | undefined;
  let baseDirectory: string | undefined;
  let discardPaths = false;
  let fileFormat: ReportFileFormat = "JUNITXML";
  const entries = readEntryEntries(ctx, entry);
  for (const child of entries ?? []) {
    switch (child.key) {
      case "files":
        files = readStringList(ctx, child, { scalar: "accept" }) ?? [];
        if (isEmptyList(child)) {
          errorAt(
            ctx,
            entryNode(child),
            child.path,
            `${child.path} is empty; list at least one report file or glob`,
          );
        }
        break;
      case "base-directory":
        baseDirectory = readScalar(ctx, child, { example: "build/test-results" });
        break;
      case "discard-paths":
        discardPaths = readYesNo(ctx, child) ?? false;
        break;
      case "file-format":
        fileFormat = readFileFormat(ctx, child) ?? fileFormat;
        break;
      default:
        reportUnknownKey(ctx, child, {
          severity: "error",
          where: `in report group ${entry.key}`,
          known: reportKeys,
        });
    }
  }
  if (files === undefined && entries !== undefined) {
    errorAt(
      ctx,
      entry.keyNode,
      entry.path,
      `report group ${entry.key} has no files list; add files: with the report files, e.g. - 'reports/junit.xml'`,
    );
  }
  return {
    group: entry.key,
    files: files ?? [],
    discardPaths,
    fileFormat,
    ...(baseDirectory === undefined ? {} : { baseDirectory }),
  };
}

function readFileFormat(ctx: ParseContext, entry: MapEntry): ReportFileFormat | undefined {
  const text = readScalar(ctx, entry, { example: "JUNITXML" });
  if (text === undefined) return undefined;
  const upper = text.toUpperCase();
  const format = fileFormats.find((candidate) => candidate === upper);
  if (format === undefined) {
    errorAt(
      ctx,
      entryNode(entry),
      entry.path,
      `${JSON.stringify(text)} is not a report file-format; use one of ${fileFormats.join(", ")}`,
    );
  }
  return format;
}

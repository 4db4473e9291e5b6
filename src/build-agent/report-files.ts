import { readFile, realpath } from "node:fs/promises";
import { relative } from "node:path";
import { parseCucumberJson } from "../buildspec/cucumber.js";
import { parseJUnitXml } from "../buildspec/junit.js";
import { parseNUnit3Xml, parseNUnitXml } from "../buildspec/nunit.js";
import type { TestCase } from "../buildspec/report-types.js";
import { parseTestNgXml } from "../buildspec/testng.js";
import { parseTrx } from "../buildspec/trx.js";
import type { ReportFileFormat, ReportGroupSpec } from "../buildspec/types.js";
import type { Result } from "../lib/index.js";
import { type SelectionOptions, selectFiles } from "./file-selection.js";
import { isInside } from "./file-walk.js";

export interface CollectedReportFiles {
  /** The report files read, relative to sourceDir (absolute when outside it), in selection order. */
  readonly files: string[];
  /** Every test case of every file, in file order. */
  readonly cases: TestCase[];
  /** What went wrong, one sentence each, for the build log and the report's status. */
  readonly problems: string[];
}

type Parser = (text: string, rawDataPath: string) => Result<TestCase[], string>;

const parsers: Partial<Record<ReportFileFormat, Parser>> = {
  JUNITXML: parseJUnitXml,
  TESTNGXML: parseTestNgXml,
  CUCUMBERJSON: parseCucumberJson,
  NUNITXML: parseNUnitXml,
  NUNIT3XML: parseNUnit3Xml,
  VISUALSTUDIOTRX: parseTrx,
};

/**
 * Reads one report group's files (spec/buildspec.md §3.5), chosen by the artifact rules
 * (file-selection.ts: globs from sourceDir or base-directory, symlinks followed, nothing
 * outside buildRoot). A base-directory that names nothing silently yields no files, as in
 * CodeBuild. `discard-paths` does not change which files are read (decision: two files with the
 * same base name are both kept). Never throws for the user's mistakes: a file that does not
 * parse, a format Pipewright cannot read (the coverage formats: "file-format X is not
 * supported by Pipewright yet") and a path outside the build root become `problems`.
 */
export async function collectReport(
  spec: ReportGroupSpec,
  options: SelectionOptions,
): Promise<CollectedReportFiles> {
  const selection = await selectFiles(
    { files: spec.files, excludePaths: [], discardPaths: false, enableSymlinks: false, ...base(spec) },
    options,
  );
  if (!selection.ok) return { files: [], cases: [], problems: [selection.message] };
  const sourceDir = await realpath(options.sourceDir);
  const files = selection.files.map((file) =>
    isInside(file.logicalPath, sourceDir) ? relative(sourceDir, file.logicalPath) : file.logicalPath,
  );
  const parse = parsers[spec.fileFormat];
  if (parse === undefined) {
    return {
      files,
      cases: [],
      problems: [`file-format ${spec.fileFormat} is not supported by Pipewright yet`],
    };
  }
  const cases: TestCase[] = [];
  const problems: string[] = [];
  for (const [index, file] of selection.files.entries()) {
    const rawDataPath = files[index]!;
    const text = await readFile(file.hostPath, "utf8").catch((error: NodeJS.ErrnoException) => error);
    if (typeof text !== "string") {
      problems.push(`${rawDataPath}: cannot be read (${text.code ?? text.message})`);
      continue;
    }
    const parsed = parse(text, rawDataPath);
    if (parsed.ok) cases.push(...parsed.value);
    else problems.push(`${rawDataPath}: ${parsed.error}`);
  }
  return { files, cases, problems };
}

function base(spec: ReportGroupSpec): { baseDirectory?: string } {
  return spec.baseDirectory === undefined ? {} : { baseDirectory: spec.baseDirectory };
}

import { mkdir } from "node:fs/promises";
import { dirname, isAbsolute } from "node:path";
import { summarizeTestCases, truncateTestCases } from "../buildspec/test-case-summary.js";
import type { ArtifactSpec, ReportGroupSpec } from "../buildspec/types.js";
import { selectArtifactFiles } from "./artifact-files.js";
import { saveBuildCache } from "./build-cache.js";
import type { BuildLog } from "./build-log.js";
import type { PreparedBuild } from "./download-source.js";
import type { RunState } from "./run-build.js";
import type { PhaseOutcome } from "./run-phase.js";
import type { AgentRequest, CollectedReport, ProducedArtifact } from "./types.js";

const MAX_TEST_CASES = 500;

export interface UploadResult {
  readonly outcome: PhaseOutcome;
  readonly exported: { name: string; value: string }[];
  readonly artifacts: ProducedArtifact[];
  readonly reports: CollectedReport[];
}

/**
 * UPLOAD_ARTIFACTS: freeze the exported variables, zip every requested artifact by the
 * buildspec's rules (paths relative to the primary source directory, variables expanded in the
 * build's final environment), read the report files and save the cache. An artifact that
 * matches nothing fails the phase with CodeBuild's `CLIENT_ERROR: no matching artifact paths
 * found`; reports never fail the build (a problem is logged and the report marked FAILED).
 */
export async function uploadArtifacts(
  req: AgentRequest,
  prepared: PreparedBuild,
  state: RunState,
  log: BuildLog,
): Promise<UploadResult> {
  const { buildspec } = prepared;
  const mask = log.masker();
  const shell = state.shell;
  const exportedNames = buildspec.env.exportedVariables;
  const values = shell ? await shell.variables(exportedNames) : new Map<string, string>();
  const exported = exportedNames.map((name) => ({ name, value: mask(values.get(name) ?? "") }));

  const expand = async (words: readonly string[]) => (shell ? shell.expand(words) : [...words]);
  const allowedRoot = prepared.layout.primary.startsWith(`${prepared.layout.root}/`)
    ? prepared.layout.root
    : prepared.layout.primary;
  const place = { sourceDir: prepared.layout.primary, buildRoot: allowedRoot };

  const artifacts: ProducedArtifact[] = [];
  let failure: PhaseOutcome | undefined;
  for (const output of req.outputs) {
    const spec =
      output.identifier === undefined
        ? buildspec.artifacts
        : buildspec.artifacts?.secondary.find((s) => s.identifier === output.identifier)?.spec;
    if (!spec) {
      failure = clientError(
        log,
        output.identifier === undefined
          ? "no definition for primary artifacts in buildspec"
          : `no definition for secondary artifact ${output.identifier} in buildspec`,
      );
      break;
    }
    const expanded = await expandArtifactSpec(spec, expand, prepared.toHost);
    const selected = await selectArtifactFiles(expanded, place);
    for (const line of selected.log) log.agent(line);
    if (!selected.ok) {
      failure = clientError(log, selected.message);
      break;
    }
    await mkdir(dirname(output.zipPath), { recursive: true });
    // Loaded when an artifact is written: a build without outputs skips the zip modules.
    const { writeZip } = await import("../zip/index.js");
    const zip = await writeZip(
      selected.files.map((f) => ({
        name: f.zipName,
        source:
          f.symlinkTarget === undefined
            ? { kind: "file" as const, path: f.hostPath }
            : { kind: "symlink" as const, target: f.symlinkTarget },
      })),
      output.zipPath,
    );
    artifacts.push({
      ...(output.identifier === undefined ? {} : { identifier: output.identifier }),
      zipPath: output.zipPath,
      bytes: zip.bytes,
      sha256: zip.sha256,
      md5: zip.md5,
      ...(expanded.name === undefined ? {} : { name: expanded.name }),
    });
  }

  const reports: CollectedReport[] = [];
  // The report parsers (an XML parser) load only for builds that have reports.
  const { collectReport } =
    buildspec.reports.length > 0 ? await import("./report-files.js") : { collectReport: undefined };
  for (const group of buildspec.reports) {
    if (!collectReport) break;
    const spec = await expandReportSpec(group, expand, prepared.toHost);
    const collected = await collectReport(spec, place);
    const { cases, truncated } = truncateTestCases(collected.cases, MAX_TEST_CASES);
    const summary = summarizeTestCases(collected.cases);
    const failed = collected.cases.some((c) => c.status === "FAILED" || c.status === "ERROR");
    for (const problem of collected.problems) log.agent(`Report group ${group.group}: ${problem}`);
    log.agent(
      `Report group ${group.group}: ${collected.cases.length} test case(s) from ${collected.files.length} file(s)`,
    );
    if (collected.files.length === 0 && collected.problems.length === 0) continue;
    reports.push({
      group: group.group,
      fileFormat: group.fileFormat,
      cases,
      truncated,
      summary,
      status: failed || collected.problems.length > 0 ? "FAILED" : "SUCCEEDED",
      problems: collected.problems,
    });
  }

  await saveBuildCache(prepared, state, log);
  return { outcome: failure ?? { status: "SUCCEEDED" }, exported, artifacts, reports };
}

function clientError(_log: BuildLog, message: string): PhaseOutcome {
  return { status: "FAILED", context: { statusCode: "CLIENT_ERROR", message } };
}

type Expand = (words: readonly string[]) => Promise<string[]>;

/** Variables in globs, base-directory and name are the build's (spec §3.6); absolute paths map to the host. */
async function expandArtifactSpec(
  spec: ArtifactSpec,
  expand: Expand,
  toHost: (inside: string) => string,
): Promise<ArtifactSpec> {
  const words = [...spec.files, ...spec.excludePaths, spec.baseDirectory ?? "", spec.name ?? ""];
  const out = await expand(words);
  const files = out.slice(0, spec.files.length).map((p) => hostIfAbsolute(p, toHost));
  const excludePaths = out.slice(spec.files.length, spec.files.length + spec.excludePaths.length);
  const baseDirectory = out[words.length - 2];
  const name = out[words.length - 1];
  return {
    ...spec,
    files,
    excludePaths,
    ...(spec.baseDirectory === undefined
      ? {}
      : { baseDirectory: hostIfAbsolute(baseDirectory ?? "", toHost) }),
    ...(spec.name === undefined ? {} : { name: name ?? "" }),
  };
}

async function expandReportSpec(
  spec: ReportGroupSpec,
  expand: Expand,
  toHost: (inside: string) => string,
): Promise<ReportGroupSpec> {
  const out = await expand([...spec.files, spec.baseDirectory ?? ""]);
  const files = out.slice(0, spec.files.length).map((p) => hostIfAbsolute(p, toHost));
  const baseDirectory = out[spec.files.length] ?? "";
  return {
    ...spec,
    files,
    ...(spec.baseDirectory === undefined ? {} : { baseDirectory: hostIfAbsolute(baseDirectory, toHost) }),
  };
}

function hostIfAbsolute(path: string, toHost: (inside: string) => string): string {
  return isAbsolute(path) ? toHost(path) : path;
}

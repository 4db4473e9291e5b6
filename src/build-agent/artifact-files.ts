import type { ArtifactSpec } from "../buildspec/types.js";
import { type SelectedFile, type SelectionOptions, selectFiles } from "./file-selection.js";

export type { SelectedFile, SelectionOptions } from "./file-selection.js";

/** CodeBuild's phase-context message when an artifact's globs match nothing (spec §3.6). */
export const NO_MATCHING_ARTIFACT_PATHS = "no matching artifact paths found";

/**
 * The files of one artifact definition (the primary `artifacts` or a secondary one), chosen by
 * CodeBuild's rules (spec/buildspec.md §3.6; details in file-selection.ts and
 * docs/build-outputs.md). `files`, `base-directory` and `exclude-paths` arrive with variables
 * already expanded. `log` holds CodeBuild's UPLOAD_ARTIFACTS lines (`Expanding ...`,
 * `Skipping invalid file path ...`, `Found N file(s)`), in order, for the build log.
 *
 * Fails (ok: false) with `no matching artifact paths found` when nothing matches, and with a
 * message naming the key and pattern for a pattern that does not compile or a path that
 * leaves `buildRoot`. Throws only for infrastructure problems (an unreadable directory) and
 * when sourceDir is not inside buildRoot (a caller bug).
 */
export async function selectArtifactFiles(
  spec: ArtifactSpec,
  options: SelectionOptions,
): Promise<
  | { readonly ok: true; readonly files: SelectedFile[]; readonly log: string[] }
  | { readonly ok: false; readonly message: string; readonly log: string[] }
> {
  const result = await selectFiles(spec, options);
  if (!result.ok) return result;
  if (result.files.length === 0) return { ok: false, message: NO_MATCHING_ARTIFACT_PATHS, log: result.log };
  const files = result.files.map(({ logicalPath: _, ...file }) => file);
  return { ok: true, files, log: result.log };
}

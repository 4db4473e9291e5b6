import { errorAt, type Mutable, type ParseContext, warningAt } from "./parse-context.js";
import type { ArtifactSpec, BuildspecArtifacts } from "./types.js";
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

const specKeys = [
  "files",
  "name",
  "discard-paths",
  "base-directory",
  "exclude-paths",
  "enable-symlinks",
  "s3-prefix",
] as const;
const primaryKeys = [...specKeys, "secondary-artifacts"] as const;

type SecondaryArtifact = BuildspecArtifacts["secondary"][number];

/**
 * Reads the `artifacts` section (spec §3.6). `files` is required whenever `artifacts` is
 * present, even when only `secondary-artifacts` are used; `type` is deprecated and ignored.
 */
export function parseArtifacts(ctx: ParseContext, entry: MapEntry): BuildspecArtifacts {
  const secondary: SecondaryArtifact[] = [];
  const spec = readArtifactSpec(ctx, entry, secondary);
  return { ...spec, secondary };
}

/**
 * One artifact definition. `secondary` collects `secondary-artifacts` for the primary
 * definition and is undefined for a secondary one (which may not nest them).
 */
function readArtifactSpec(
  ctx: ParseContext,
  entry: MapEntry,
  secondary: SecondaryArtifact[] | undefined,
): ArtifactSpec {
  let files: string[] | undefined;
  let hasSecondary = false;
  const optional: Partial<Mutable<ArtifactSpec>> = {};
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
            `${child.path} is empty; list at least one path or glob, e.g. - '**/*'`,
          );
        }
        break;
      case "name":
        optional.name = readScalar(ctx, child, { example: "my-app" });
        break;
      case "base-directory":
        optional.baseDirectory = readScalar(ctx, child, { example: "dist" });
        break;
      case "s3-prefix":
        optional.s3Prefix = readScalar(ctx, child, { example: "builds" });
        break;
      case "discard-paths":
        optional.discardPaths = readYesNo(ctx, child);
        break;
      case "enable-symlinks":
        optional.enableSymlinks = readYesNo(ctx, child);
        break;
      case "exclude-paths":
        optional.excludePaths = readStringList(ctx, child, { scalar: "accept" });
        break;
      case "type":
        warningAt(ctx, child.keyNode, child.path, `${child.path} is deprecated and ignored; remove it`);
        break;
      default:
        // Only the primary definition has secondary artifacts; they cannot nest.
        if (child.key === "secondary-artifacts" && secondary !== undefined) {
          hasSecondary = true;
          secondary.push(...readSecondaryArtifacts(ctx, child));
          break;
        }
        reportUnknownKey(ctx, child, {
          severity: "error",
          where: `in ${entry.path}`,
          known: secondary === undefined ? specKeys : primaryKeys,
        });
    }
  }
  if (files === undefined && entries !== undefined) {
    reportMissingFiles(ctx, entry, secondary !== undefined, hasSecondary);
  }
  return {
    files: files ?? [],
    discardPaths: optional.discardPaths ?? false,
    excludePaths: optional.excludePaths ?? [],
    enableSymlinks: optional.enableSymlinks ?? false,
    ...(optional.name === undefined ? {} : { name: optional.name }),
    ...(optional.baseDirectory === undefined ? {} : { baseDirectory: optional.baseDirectory }),
    ...(optional.s3Prefix === undefined ? {} : { s3Prefix: optional.s3Prefix }),
  };
}

function readSecondaryArtifacts(ctx: ParseContext, entry: MapEntry): SecondaryArtifact[] {
  return (readEntryEntries(ctx, entry) ?? []).map((artifact) => {
    checkIdentifier(ctx, artifact);
    return { identifier: artifact.key, spec: readArtifactSpec(ctx, artifact, undefined) };
  });
}

function reportMissingFiles(
  ctx: ParseContext,
  entry: MapEntry,
  primary: boolean,
  hasSecondary: boolean,
): void {
  if (!primary) {
    errorAt(
      ctx,
      entry.keyNode,
      entry.path,
      `${entry.path} has no files list; add files: with at least one path or glob`,
    );
    return;
  }
  const why = hasSecondary ? " (required even when only secondary-artifacts are used)" : "";
  errorAt(
    ctx,
    entry.keyNode,
    entry.path,
    `no definition for primary artifacts in buildspec: artifacts needs a files list${why}; add files:, e.g. - '**/*'`,
  );
}

/** Secondary artifact identifiers: letters, digits and underscores, fewer than 128 characters. */
function checkIdentifier(ctx: ParseContext, entry: MapEntry): void {
  if (/^[A-Za-z0-9_]{1,127}$/u.test(entry.key)) return;
  errorAt(
    ctx,
    entry.keyNode,
    entry.path,
    `secondary artifact identifier ${JSON.stringify(entry.key)} must use only letters, digits and underscores and be shorter than 128 characters`,
  );
}

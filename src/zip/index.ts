/**
 * zip: reading and writing zip archives, the format of CodePipeline artifacts and CodeBuild's
 * ZIP packaging, with nothing but `node:zlib`.
 *
 * Owns: writing archives from files, bytes, symlinks and directories (streamed, unix modes,
 * ZIP64 where needed, md5/sha256 of the result); listing and safely extracting archives
 * (stored and deflate, data descriptors, ZIP64; names and symlinks that would land outside the
 * destination are refused before anything is written).
 *
 * Does not own: which files go into an archive (build-agent/artifact-files.ts) or where
 * archives are stored (store/).
 */
export { normalizeEntryName } from "./entry-name.js";
export { type ExtractZipOptions, extractZip } from "./extract-zip.js";
export { listZip, type ZipListing } from "./list-zip.js";
export { readZipFiles } from "./read-zip-files.js";
export {
  type WriteZipOptions,
  type WriteZipResult,
  writeZip,
  type ZipEntryInput,
  type ZipEntrySource,
} from "./write-zip.js";

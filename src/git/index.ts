/**
 * git: the plumbing Pipewright's hosted repositories need, always by running the real `git`
 * (never a reimplementation of its formats or protocols).
 *
 * Owns: running git safely (run-git.ts: no shell, a clean environment, git's stderr in errors),
 * reading refs, commits, trees, blobs and changed paths, zip archives, creating bare repositories, writing
 * trees and commits with plumbing (and moving a ref only from the value it was read at), the CGI bridge to `git http-backend` (http-backend.ts) that serves
 * smart HTTP with streamed bodies, and mirrors of repositories outside Pipewright (mirror.ts).
 *
 * Does not own: where repositories live or what they are called (store/), who may push or fetch
 * (api/git), or what a push triggers (runtime/). Functions take a bare repository's directory;
 * values that reach git's command line from users are resolved to object ids, or passed after
 * `--end-of-options`, first.
 */
export { archiveZip } from "./archive.js";
export { changedFiles } from "./changed-files.js";
export { cloneAt } from "./clone.js";
export { type GitCommit, type GitSignature, readCommit, resolveCommit } from "./commits.js";
export {
  type BackendExit,
  type HttpBackendRequest,
  type HttpBackendResponse,
  runHttpBackend,
  SMART_HTTP_PATHS,
} from "./http-backend.js";
export { initBare } from "./init-bare.js";
export { createMirrors, type Mirrors } from "./mirror.js";
export { listRefs, setHead } from "./refs.js";
export { GitError, gitEnvironment, runGit } from "./run-git.js";
export {
  commitTree,
  compareAndSwapRef,
  deleteRefIf,
  type GitTreeChange,
  type GitTreeEntry,
  type NewTreeFile,
  objectInfo,
  readBlob,
  treeChanges,
  treeChildren,
  treeEntry,
  treeFiles,
  writeTree,
} from "./trees.js";
export { type NewCommit, writeCommit } from "./write-commit.js";

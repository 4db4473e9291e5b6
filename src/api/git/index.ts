/**
 * api/git: git's smart HTTP protocol for the hosted repositories, at CodeCommit's
 * `/v1/repos/<name>` paths. Owns request-target parsing (only smart HTTP of valid names gets
 * through), HTTP Basic authentication with the configured access keys, and telling `onPush`
 * what each push changed. git itself runs in the store (RepositoryStore.smartHttp, src/git).
 */
export type { GitCredential } from "./basic-auth.js";
export type { GitDeps, PushEvent, PushListener } from "./deps.js";
export { createGitFrontEnd } from "./git-front-end.js";

import type { Logger } from "../../lib/logger.js";
import type { RegistryStore } from "../../store/registry-store-types.js";
import type { Scope } from "../../store/types.js";
import type { AuthorizationTokens } from "./authorization-token.js";

/** A tag pushed (a manifest stored under a tag), told after the store committed it. */
export interface ImagePushed {
  readonly scope: Scope;
  readonly repositoryName: string;
  readonly tag: string;
  readonly digest: string;
  readonly mediaType: string;
}

/** What the /v2/ front end needs; main/ wires it. */
export interface RegistryDeps {
  readonly store: RegistryStore;
  /** Registry requests are served in this account and region (as git's are). */
  readonly defaultScope: Scope;
  /** Static keys (`docker login -u <key id> -p <secret>` also works); empty: anyone may use it. */
  readonly credentials: readonly { readonly accessKeyId: string; readonly secretAccessKey: string }[];
  readonly tokens: AuthorizationTokens;
  /**
   * Runs after a tag was pushed and before the push is answered, so pipelines it starts have
   * started when `docker push` returns. Its failures are logged, never the push's.
   */
  readonly onImagePushed: (event: ImagePushed) => Promise<void>;
  readonly now: () => number;
  readonly newUploadId: () => string;
  readonly newRequestId: () => string;
  readonly logger: Logger;
}

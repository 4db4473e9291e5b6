import type { RegistryStore } from "../../store/registry-store-types.js";
import type { Scope, TagStore } from "../../store/types.js";
import type { AuthorizationTokens } from "../registry/authorization-token.js";
import type { ImagePushed } from "../registry/deps.js";

/** What the ECR operations need; main/ wires it. */
export interface EcrDeps {
  readonly store: RegistryStore;
  readonly tags: TagStore;
  readonly tokens: AuthorizationTokens;
  /**
   * The one registry on this port serves this account and region; every ECR call addresses it
   * whatever region it was signed for (docs/registry.md), so `docker push` finds what
   * create-repository made.
   */
  readonly registryScope: Scope;
  /** `host:port` in repositoryUri (PIPEWRIGHT_REGISTRY_HOST, else the server's own address). */
  readonly registryHost: () => string;
  /** A tag pushed through PutImage: the same hook as a `docker push`. */
  readonly onImagePushed: (event: ImagePushed) => Promise<void>;
  /** Applies the repository's lifecycle policy now (after PutLifecyclePolicy). */
  readonly applyLifecyclePolicy: (scope: Scope, repositoryName: string) => Promise<void>;
}

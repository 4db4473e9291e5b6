import type { SecretResolver } from "../../build-agent/types.js";
import type { Scope } from "../../store/types.js";

/** What one task's containers get to reach Pipewright: variables, and the shim directories. */
export interface TaskInsideAccess {
  /** The inside variables (src/inside): credentials endpoint and token, AWS_ENDPOINT_URL, preloads. */
  readonly variables: Readonly<Record<string, string>>;
  /** Host directories the containers must see at the same path (read-only), first on PATH. */
  readonly pathDirs: readonly string[];
  /** Ends the session: its keys stop working (the task stopped). */
  close(): void;
}

/**
 * What tasks get from the rest of the server, wired in main/: the Parameter Store / Secrets
 * Manager resolver builds use (for containers' `secrets`), and inside access (the temporary
 * credentials builds and functions get, src/inside). `open` is called once per task start and
 * its session closed when the task stops or fails to start; sessions live in the server process
 * only, so a task adopted after a restart keeps variables whose keys no longer work.
 */
export interface TaskAccess {
  secrets(scope: Scope): SecretResolver;
  /**
   * `bridgeEndpoint`: the container reaches the server there, not on loopback (Docker's bridge
   * network). The SDKs take http container-credential URIs on loopback only, so such a
   * container gets the session's keys as AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY /
   * AWS_SESSION_TOKEN instead (as Lambda functions do).
   */
  open(scope: Scope, taskArn: string, bridgeEndpoint?: string): TaskInsideAccess;
}

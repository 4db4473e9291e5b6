import type { Scope } from "../store/types.js";

/** What every operation learns about the request it serves. */
export interface RequestContext {
  readonly requestId: string;
  /** Account and region: the region comes from the SigV4 credential scope, else the server default. */
  readonly scope: Scope;
  /** The access key id that signed the request, or `anonymous`. */
  readonly principal: string;
  /** Milliseconds since the epoch, read once per request. */
  readonly now: number;
  /** `scheme://host[:port]` as the client reached this server (its Host header): for URLs it can follow. */
  readonly origin: string;
}

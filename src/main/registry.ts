import { randomBytes } from "node:crypto";
import type { RouteFrontEnd } from "../api/app.js";
import type { EcrDeps } from "../api/ecr/deps.js";
import type { AuthorizationTokens } from "../api/registry/authorization-token.js";
import type { ImagePushed } from "../api/registry/deps.js";
import { createRegistryFrontEnd } from "../api/registry/registry-front-end.js";
import type { Clock } from "../lib/clock.js";
import type { Logger } from "../lib/logger.js";
import { createEcrSourceProvider } from "../providers/ecr-source/ecr-source-provider.js";
import type { ActionProvider } from "../providers/types.js";
import { repositoryUri } from "../registry/names.js";
import type { Component } from "../runtime/components/component.js";
import { createRegistryGarbageCollector } from "../runtime/registry/garbage-collector.js";
import { applyLifecyclePolicy } from "../runtime/registry/lifecycle.js";
import type { SourceEvents } from "../runtime/sources/source-events.js";
import type { Scope, Stores } from "../store/types.js";
import type { Credential } from "./config.js";

export interface RegistryWiring {
  readonly frontEnd: RouteFrontEnd;
  readonly ecr: EcrDeps;
  readonly provider: ActionProvider;
  readonly garbageCollector: Component;
  /** Late binding: the source events exist only once the runtime does (it needs the providers). */
  bindSourceEvents(events: SourceEvents): void;
}

/**
 * Wires the container registry: the /v2/ front end and the ECR API over the registry store, the
 * ECR source action, and what a push sets off (the repository's lifecycle policy, then the
 * pipelines whose ECR source the pushed tag matches).
 */
export function wireRegistry(o: {
  stores: Stores;
  clock: Clock;
  logger: Logger;
  newId: () => string;
  tokens: AuthorizationTokens;
  credentials: readonly Credential[];
  scope: Scope;
  /** `host:port` of repositoryUri; default the server's own address. */
  registryHost: () => string;
}): RegistryWiring {
  const store = o.stores.registry;
  const tokens = o.tokens;
  let sourceEvents: SourceEvents | undefined;
  const lifecycle = (scope: Scope, name: string) =>
    applyLifecyclePolicy(store, scope, name, o.clock.now(), o.logger).then(() => {});
  const onImagePushed = async (event: ImagePushed) => {
    await lifecycle(event.scope, event.repositoryName);
    await sourceEvents?.onImagePushed(event.scope, event);
  };
  const frontEnd = createRegistryFrontEnd({
    store,
    defaultScope: o.scope,
    credentials: o.credentials,
    tokens,
    onImagePushed,
    now: () => o.clock.now(),
    newUploadId: () => randomBytes(16).toString("hex"),
    newRequestId: o.newId,
    logger: o.logger,
  });
  const ecr: EcrDeps = {
    store,
    tags: o.stores.tags,
    tokens,
    registryScope: o.scope,
    registryHost: o.registryHost,
    onImagePushed,
    applyLifecyclePolicy: lifecycle,
  };
  const provider = createEcrSourceProvider({
    async find(scope, name, reference) {
      const image = await store.getImage(scope, name, reference);
      return image && { digest: image.digest, tags: image.tags, size: image.size, pushedAt: image.pushedAt };
    },
    repositoryUri: (name) => repositoryUri(o.registryHost(), name),
  });
  return {
    frontEnd,
    ecr,
    provider,
    garbageCollector: createRegistryGarbageCollector(store, o.clock, o.logger),
    bindSourceEvents(events) {
      sourceEvents = events;
    },
  };
}

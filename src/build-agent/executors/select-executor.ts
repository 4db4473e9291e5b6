import type { Executor, ExecutorChoice, ExecutorPreference, ExecutorSelector } from "../types.js";
import type { ContainerExecutor } from "./container-executor.js";
import type { ContainerEngine } from "./docker-engine.js";
import { createHostExecutor } from "./host-executor.js";
import { killOrphanedBuildProcesses } from "./orphans.js";
import { createSandboxExecutor, sandboxAvailable } from "./sandbox-executor.js";

export interface SelectorOptions {
  /** The bubblewrap program (default `bwrap` on PATH). */
  readonly bwrap?: string;
  /** Finds the container engine (default: DOCKER_HOST, the Docker socket, Podman's). */
  readonly findEngine?: () => Promise<{ engine?: ContainerEngine; reason?: string }>;
  /** How long an engine lookup is trusted before asking again (an engine may start later). */
  readonly engineTtlMs?: number;
  /** Host directories sandboxed builds must not see (see SandboxOptions.hide). */
  readonly hide?: readonly string[];
}

/** How long after start-up leftover containers are looked for (see reapOrphans). */
const CONTAINER_REAP_DELAY_MS = 2000;

/**
 * The executor choice of docs/codebuild.md: `auto` runs in a container when an engine answers
 * and has the build's image, and on the host otherwise (sandboxed by bubblewrap when it works,
 * with a notice in the build log when it does not). Explicit preferences are honoured or refused.
 */
export function createSelector(options: SelectorOptions = {}): ExecutorSelector & { close(): Promise<void> } {
  const host = createHostExecutor();
  let sandbox: { executor: Executor } | { reason: string } | undefined;
  let engineLookup: { at: number; engine?: ContainerEngine; reason?: string } | undefined;
  let container: { engine: ContainerEngine; executor: ContainerExecutor } | undefined;
  const ttl = options.engineTtlMs ?? 30_000;

  const sandboxChoice = () => {
    if (!sandbox) {
      const probe = sandboxAvailable(options.bwrap);
      sandbox = probe.ok
        ? {
            executor: createSandboxExecutor({
              ...(options.bwrap ? { bwrap: options.bwrap } : {}),
              hide: options.hide ?? [],
            }),
          }
        : { reason: probe.reason };
    }
    return sandbox;
  };
  // dockerode is loaded only when a build may use a container (it costs ~100 ms to load).
  const containers = () => import("./container-executor.js");
  // One lookup at a time: the start-up reap and a first build may ask together.
  let lookingUp: Promise<NonNullable<typeof engineLookup>> | undefined;
  const engine = async () => {
    if (!engineLookup || Date.now() - engineLookup.at > ttl) {
      lookingUp ??= (async () => {
        const find = options.findEngine ?? (await import("./docker-engine.js")).locateEngine;
        const found = await find();
        return { at: Date.now(), ...found };
      })().finally(() => {
        lookingUp = undefined;
      });
      engineLookup = await lookingUp;
    }
    return engineLookup;
  };
  // The containers a dead predecessor left, removed in the background (see reapOrphans).
  let reapRequested = false;
  let reapTimer: ReturnType<typeof setTimeout> | undefined;
  let reapingContainers: Promise<number> | undefined;
  const reapContainers = () =>
    (reapingContainers ??= (async () => {
      const found = await engine().catch(() => ({ engine: undefined }));
      if (!found.engine) return 0;
      const { removeLeftoverContainers } = await containers();
      return (await removeLeftoverContainers(found.engine).catch(() => [])).length;
    })().catch(() => 0));
  const containerOn = async (e: ContainerEngine) => {
    if (reapRequested) await reapContainers();
    if (container?.engine !== e)
      container = { engine: e, executor: (await containers()).createContainerExecutor(e) };
    return container.executor;
  };
  const onHost = (why?: string): ExecutorChoice => {
    const s = sandboxChoice();
    if ("executor" in s) return { executor: s.executor, ...(why ? { notice: why } : {}) };
    const notice = `${why ? `${why}; ` : ""}the build runs on the host WITHOUT a sandbox: ${s.reason}`;
    return { executor: host, notice };
  };

  return {
    async choose(image: string, preference: ExecutorPreference): Promise<ExecutorChoice> {
      switch (preference) {
        case "host":
          return { executor: host };
        case "sandbox": {
          const s = sandboxChoice();
          if ("reason" in s) throw new Error(`The project asks for the sandbox executor, but ${s.reason}`);
          return { executor: s.executor };
        }
        case "container": {
          const found = await engine();
          if (!found.engine) {
            throw new Error(
              `The project asks for the container executor, but no container engine answers: ${found.reason}`,
            );
          }
          return { executor: await containerOn(found.engine) };
        }
        case "auto": {
          const found = await engine();
          if (!found.engine) return onHost();
          const { hasImage } = await containers();
          if (await hasImage(found.engine, image).catch(() => false)) {
            return { executor: await containerOn(found.engine) };
          }
          return onHost(`Image ${image} is not on ${found.engine.describe}, so the build runs on the host`);
        }
      }
    },
    async reapOrphans() {
      // Host processes now (reading /proc takes milliseconds). Containers a little later, in
      // the background: finding the engine loads dockerode (synchronously: 100 ms on an idle
      // machine, 400 ms on a loaded one) and asks the engine, which would hold up a server's
      // first answers (bench/cli.mjs). Only a container build needs them gone first, so one
      // that starts sooner runs the reap itself and waits for it (containerOn).
      reapRequested = true;
      const ended = killOrphanedBuildProcesses().length;
      reapTimer = setTimeout(() => void reapContainers(), CONTAINER_REAP_DELAY_MS);
      reapTimer.unref?.();
      return ended;
    },
    async close() {
      clearTimeout(reapTimer);
      await reapingContainers;
      await container?.executor.killAll();
    },
  };
}

import type { CacheSpec } from "../buildspec/types.js";
import type { BuildLog } from "./build-log.js";
import type { PreparedBuild } from "./download-source.js";
import type { RunState } from "./run-build.js";

/**
 * The buildspec's `cache` against the project's local cache directory (cache.ts does the
 * copying): restored at the end of DOWNLOAD_SOURCE, saved in UPLOAD_ARTIFACTS. Keys are
 * expanded in the build's environment. A project without a cache logs why nothing happens.
 */
export async function restoreBuildCache(
  prepared: PreparedBuild,
  state: RunState,
  log: BuildLog,
): Promise<void> {
  const spec = await cacheSpec(prepared, state, log);
  if (!spec || spec.action === "save" || !prepared.request.cacheDir) return;
  // Loaded when a cache is used: a build without one skips its modules (start-up, docs/cli.md).
  const { restoreCache } = await import("./cache.js");
  await restoreCache(spec, cacheOptions(prepared, prepared.request.cacheDir, log));
}

export async function saveBuildCache(prepared: PreparedBuild, state: RunState, log: BuildLog): Promise<void> {
  const spec = await cacheSpec(prepared, state, log, false);
  if (!spec || spec.action === "restore" || !prepared.request.cacheDir) return;
  const { saveCache } = await import("./cache.js");
  await saveCache(spec, cacheOptions(prepared, prepared.request.cacheDir, log));
}

function cacheOptions(prepared: PreparedBuild, cacheRoot: string, log: BuildLog) {
  return {
    cacheRoot,
    sourceDir: prepared.layout.primary,
    toHost: prepared.toHost,
    log: (line: string) => log.agent(line),
  };
}

async function cacheSpec(
  prepared: PreparedBuild,
  state: RunState,
  log: BuildLog,
  explain = true,
): Promise<CacheSpec | undefined> {
  const spec = prepared.buildspec.cache;
  if (!spec) {
    if (explain && prepared.request.cacheDir)
      log.agent("Unable to initialize cache download: no paths specified to be cached");
    return undefined;
  }
  if (!prepared.request.cacheDir) {
    if (explain) {
      log.agent(
        "The project has no cache (cache type NO_CACHE): the buildspec's cache paths are neither restored nor saved",
      );
    }
    return undefined;
  }
  const paths = writablePaths(prepared, spec.paths, explain ? (line) => log.agent(line) : () => {});
  const shell = state.shell;
  if (!shell || (spec.key === undefined && spec.fallbackKeys.length === 0)) return { ...spec, paths };
  const [key = "", ...fallbackKeys] = await shell.expand([spec.key ?? "", ...spec.fallbackKeys]);
  return { ...spec, paths, ...(spec.key === undefined ? {} : { key }), fallbackKeys };
}

/**
 * Sandboxed and container builds may cache absolute paths only inside what they can write (the
 * workspace, their home at /root): Pipewright itself copies cache files on the host, and must
 * not write /etc because a buildspec named it. Host builds can write anywhere anyway.
 */
function writablePaths(
  prepared: PreparedBuild,
  paths: readonly string[],
  log: (line: string) => void,
): string[] {
  if (prepared.request.executor.kind === "host") return [...paths];
  return paths.filter((path) => {
    if (!path.startsWith("/")) return true;
    const inside = prepared.mounts.some(
      (m) => !m.readOnly && (path === m.path || path.startsWith(`${m.path}/`)),
    );
    if (!inside) log(`Skipping cache path ${path}: outside the directories this build can write`);
    return inside;
  });
}

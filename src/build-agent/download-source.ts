import { readFile } from "node:fs/promises";
import { isAbsolute, relative, resolve } from "node:path";
import { type BuildVariable, composeEnvironment, secretValues } from "../buildspec/build-environment.js";
import { formatBuildspecIssue, parseBuildspec } from "../buildspec/parse-buildspec.js";
import { type Buildspec, buildspecPhaseNames } from "../buildspec/types.js";
import { restoreBuildCache } from "./build-cache.js";
import type { BuildLog } from "./build-log.js";
import { builtinVariables, platformDefaults } from "./builtins.js";
import type { BuildLayout } from "./layout.js";
import type { PhaseContext } from "./phase-tracker.js";
import { resolveVariables } from "./resolve-variables.js";
import type { RunState } from "./run-build.js";
import { BuildShell } from "./session/build-shell.js";
import type { AgentRequest, Mount, SourceInfo } from "./types.js";

/** What DOWNLOAD_SOURCE leaves for the later phases. */
export interface PreparedBuild {
  readonly buildspec: Buildspec;
  readonly source: SourceInfo;
  readonly layout: BuildLayout;
  readonly mounts: readonly Mount[];
  readonly variables: readonly BuildVariable[];
  /** The host path of a path as the build sees it (identity on the host). */
  readonly toHost: (inside: string) => string;
  readonly request: AgentRequest;
}

type Outcome = { ok: true; prepared: PreparedBuild } | { ok: false; context: PhaseContext };

const SHELLS: Record<string, string> = {
  sh: "sh",
  "/bin/sh": "/bin/sh",
  bash: "bash",
  "/bin/bash": "/bin/bash",
};

/**
 * DOWNLOAD_SOURCE: fetch the sources, find and parse the buildspec, read every variable (secrets
 * included), start the build's shell with them, restore the cache. Failures carry CodeBuild's
 * status codes: CLIENT_ERROR (sources), YAML_FILE_ERROR (the buildspec), `Decrypted Variables
 * Error` / `Secrets Manager Error` (secrets), BUILD_CONTAINER_UNABLE_TO_PULL_IMAGE (the image).
 */
export async function downloadSource(
  req: AgentRequest,
  layout: BuildLayout,
  executorMounts: readonly Mount[],
  log: BuildLog,
  state: RunState,
): Promise<Outcome> {
  let mounts = executorMounts;
  const inside = (hostPath: string) => req.executor.pathInside(hostPath, mounts);
  const toHost = (insidePath: string) => hostPathOf(insidePath, mounts);
  log.agent("Phase is DOWNLOAD_SOURCE");
  log.agent(`CODEBUILD_SRC_DIR=${inside(layout.primary)}`);

  let source: SourceInfo;
  try {
    source = await req.downloadSource({ primary: layout.primary, secondary: layout.secondary });
  } catch (error) {
    return fail(log, "CLIENT_ERROR", (error as Error).message);
  }

  const located = await locateBuildspec(req, layout, inside);
  if (!located.ok) return fail(log, "YAML_FILE_ERROR", located.message);
  log.agent(`YAML location is ${located.label}`);
  const parsed = parseBuildspec(located.text);
  if (!parsed.ok) {
    for (const issue of parsed.error) log.agent(formatBuildspecIssue(located.label, issue));
    const first = parsed.error[0];
    return fail(
      log,
      "YAML_FILE_ERROR",
      first ? `${first.message} at line ${first.line}` : "invalid buildspec",
    );
  }
  for (const warning of parsed.value.warnings) log.agent(formatBuildspecIssue(located.label, warning));
  const buildspec = parsed.value.buildspec;
  const unsupported = unsupportedFeature(buildspec);
  if (unsupported) return fail(log, "YAML_FILE_ERROR", unsupported);

  log.agent("Processing environment variables");
  const resolved = await resolveVariables(
    buildspec,
    req.projectVariables,
    req.overrideVariables,
    req.secrets,
  );
  if (!resolved.ok) return fail(log, resolved.error.statusCode, resolved.error.message);
  const onHost = req.executor.kind !== "container";
  const platform = req.platform;
  const pathDirs = platform?.pathDirs ?? [];
  // Shim directories are seen at their own path, read-only (the sandbox's private /tmp would hide them).
  if (req.executor.kind !== "host") {
    mounts = [...mounts, ...pathDirs.map((dir) => ({ hostPath: dir, path: dir, readOnly: true }))];
  }
  const basePath = [...pathDirs, req.baseEnv.PATH ?? "/usr/local/bin:/usr/bin:/bin"].join(":");
  const base = req.executor.kind === "host" ? req.baseEnv : onHost ? withoutHome(req.baseEnv) : {};
  const secondaryInside = new Map([...layout.secondary].map(([id, dir]) => [id, inside(dir)] as const));
  const variables = composeEnvironment({
    base: onHost && pathDirs.length > 0 ? { ...base, PATH: basePath } : base,
    platformDefaults: platformDefaults(
      req.build,
      req.executor.kind === "host" ? (req.baseEnv.HOME ?? "/root") : "/root",
      platform?.variables,
    ),
    ...resolved.layers,
    builtins: builtinVariables(
      req.build,
      { primary: inside(layout.primary), secondary: secondaryInside },
      source,
    ),
  });
  log.setSecrets([...secretValues(variables), ...secretValues(resolved.layers.buildspec)]);

  const runtimes = buildspec.phases.install?.runtimeVersions ?? [];
  if (runtimes.length === 0) log.agent("No runtime version selected in buildspec.");
  else
    log.agent("Skipping install of runtimes. Runtime version selection is not supported by this build image");

  log.agent(`Moving to directory ${inside(layout.primary)}`);
  try {
    state.shell = await BuildShell.start({
      executor: req.executor,
      shell: SHELLS[buildspec.env.shell ?? "sh"] ?? "sh",
      tmpDir: layout.tmp,
      mounts,
      variables,
      workdir: inside(layout.primary),
      processEnv: onHost
        ? { PATH: pathDirs.length > 0 ? basePath : (req.baseEnv.PATH ?? "/usr/local/bin:/usr/bin:/bin") }
        : {},
      ...(onHost || pathDirs.length === 0 ? {} : { pathPrefix: pathDirs }),
      ...(platform?.hostNetwork && !onHost ? { hostNetwork: true } : {}),
      image: req.build.image,
      privileged: req.privileged,
      label: req.build.id,
      onOutput: (line) => log.output(line),
    });
  } catch (error) {
    const message = (error as Error).message;
    const code = /^([A-Z_]+): /.exec(message)?.[1];
    return fail(log, code ?? "CLIENT_ERROR", code ? message.slice(code.length + 2) : message);
  }
  if (state.interrupted) void state.shell.kill();

  const prepared: PreparedBuild = { buildspec, source, layout, mounts, variables, toHost, request: req };
  await restoreBuildCache(prepared, state, log);
  log.agent("Registering with agent");
  const declared = buildspecPhaseNames.filter((n) => buildspec.phases[n] !== undefined);
  log.agent(`Phases found in YAML: ${declared.length}`);
  for (const name of declared) {
    log.agent(` ${name.toUpperCase()}: ${buildspec.phases[name]?.commands.length ?? 0} commands`);
  }
  return { ok: true, prepared };
}

/** The phase's end logs the context (Phase complete / Phase context status code). */
function fail(_log: BuildLog, statusCode: string, message: string): Outcome {
  return { ok: false, context: { statusCode, message } };
}

async function locateBuildspec(
  req: AgentRequest,
  layout: BuildLayout,
  inside: (hostPath: string) => string,
): Promise<{ ok: true; text: string; label: string } | { ok: false; message: string }> {
  if (req.buildspec.kind === "inline") {
    return { ok: true, text: req.buildspec.text, label: "buildspec (inline)" };
  }
  const given = req.buildspec.path;
  const hostPath = isAbsolute(given) ? given : resolve(layout.primary, given);
  if (!isAbsolute(given) && relative(layout.primary, hostPath).startsWith("..")) {
    return { ok: false, message: `the buildspec path ${given} leads outside the source directory` };
  }
  const label = isAbsolute(given) ? given : inside(hostPath);
  try {
    return { ok: true, text: await readFile(hostPath, "utf8"), label };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { ok: false, message: `stat ${label}: no such file or directory` };
    if (code === "EISDIR") return { ok: false, message: `read ${label}: is a directory` };
    return { ok: false, message: `cannot read ${label}: ${(error as Error).message}` };
  }
}

/** Keys Pipewright parses but does not run, refused rather than ignored. */
function unsupportedFeature(buildspec: Buildspec): string | undefined {
  const shell = buildspec.env.shell;
  if (shell !== undefined && SHELLS[shell] === undefined) {
    return `env.shell ${shell} is not supported by Pipewright: use sh, /bin/sh, bash or /bin/bash`;
  }
  const runAs = [buildspec.runAs, ...Object.values(buildspec.phases).map((p) => p?.runAs)].find(
    (u) => u !== undefined && u !== "root",
  );
  if (runAs !== undefined) {
    return `run-as ${runAs} is not supported by Pipewright yet: commands run as root in containers and as Pipewright's own user on the host; remove run-as`;
  }
  return undefined;
}

/** Sandboxed builds get /root as HOME, not the host user's. */
function withoutHome(env: Readonly<Record<string, string>>): Record<string, string> {
  const { HOME: _home, ...rest } = env;
  return rest;
}

/** Maps a path as the build sees it back to the host, through the deepest mount containing it. */
export function hostPathOf(insidePath: string, mounts: readonly Mount[]): string {
  const m = [...mounts]
    .filter((x) => insidePath === x.path || insidePath.startsWith(`${x.path.replace(/\/$/, "")}/`))
    .sort((a, b) => b.path.length - a.path.length)[0];
  return m ? m.hostPath + insidePath.slice(m.path.length) : insidePath;
}

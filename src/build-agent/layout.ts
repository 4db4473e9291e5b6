import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Executor, Mount } from "./types.js";

/**
 * A build's directories on the host. `root` holds everything the build may write besides the
 * primary source directory, which `pipewright build` uses in place (outside root).
 *
 *   <root>/src           primary source (CODEBUILD_SRC_DIR), unless given elsewhere
 *   <root>/src_<id>      secondary sources (CODEBUILD_SRC_DIR_<id>)
 *   <root>/tmp           the session's command files and checkpoints
 *   <root>/home          HOME (/root) for sandboxed and container builds
 */
export interface BuildLayout {
  readonly root: string;
  readonly primary: string;
  readonly secondary: ReadonlyMap<string, string>;
  readonly tmp: string;
  readonly home: string;
}

export async function createLayout(
  root: string,
  options: { primary?: string; secondaryIds?: readonly string[] } = {},
): Promise<BuildLayout> {
  const secondary = new Map((options.secondaryIds ?? []).map((id) => [id, join(root, `src_${id}`)] as const));
  const layout: BuildLayout = {
    root,
    primary: options.primary ?? join(root, "src"),
    secondary,
    tmp: join(root, "tmp"),
    home: join(root, "home"),
  };
  for (const dir of [layout.primary, ...secondary.values(), layout.tmp, layout.home]) {
    await mkdir(dir, { recursive: true });
  }
  return layout;
}

/** Where container builds see the build root (CodeBuild's own path prefix). */
export const CONTAINER_ROOT = "/codebuild/output";

/**
 * What the executor must make visible. Host builds see everything in place. Sandboxed builds
 * see the root and the primary source read-write at their own paths and the build's home at
 * /root. Containers see the root at /codebuild/output (the primary source at
 * /codebuild/output/src) and the home at /root.
 */
export function mountsFor(layout: BuildLayout, kind: Executor["kind"]): Mount[] {
  const inRoot = layout.primary.startsWith(`${layout.root}/`);
  if (kind === "host") return [{ hostPath: layout.root, path: layout.root, readOnly: false }];
  if (kind === "sandbox") {
    return [
      { hostPath: layout.home, path: "/root", readOnly: false },
      { hostPath: layout.root, path: layout.root, readOnly: false },
      ...(inRoot ? [] : [{ hostPath: layout.primary, path: layout.primary, readOnly: false }]),
    ];
  }
  return [
    { hostPath: layout.root, path: CONTAINER_ROOT, readOnly: false },
    ...(inRoot ? [] : [{ hostPath: layout.primary, path: `${CONTAINER_ROOT}/src`, readOnly: false }]),
    { hostPath: layout.home, path: "/root", readOnly: false },
  ];
}

import type { BuildVariable } from "../buildspec/build-environment.js";
import type { BuildIdentity, SourceInfo } from "./types.js";

/**
 * CodeBuild's built-in variables (spec/buildspec.md §5.1, and the observed ones of §5.2 that
 * tools test for). CODEBUILD_BUILD_SUCCEEDING and CODEBUILD_LAST_EXIT change while the build
 * runs and are set by the session before each command. Webhook, batch and public-build
 * variables are not set: Pipewright builds are none of those.
 */
export function builtinVariables(
  build: BuildIdentity,
  dirs: { readonly primary: string; readonly secondary: ReadonlyMap<string, string> },
  source: SourceInfo,
): BuildVariable[] {
  const vars: [string, string | undefined][] = [
    ["CODEBUILD_BUILD_ARN", build.arn],
    ["CODEBUILD_BUILD_ID", build.id],
    ["CODEBUILD_BUILD_IMAGE", build.image],
    ["CODEBUILD_BUILD_NUMBER", String(build.number)],
    ["CODEBUILD_INITIATOR", build.initiator],
    ["CODEBUILD_KMS_KEY_ID", build.kmsKeyId],
    ["CODEBUILD_LOG_PATH", build.logPath],
    ["CODEBUILD_START_TIME", String(build.startTime)],
    ["CODEBUILD_SRC_DIR", dirs.primary],
    ["CODEBUILD_RESOLVED_SOURCE_VERSION", source.resolvedSourceVersion],
    ["CODEBUILD_SOURCE_VERSION", source.sourceVersion],
    ["CODEBUILD_SOURCE_REPO_URL", source.sourceRepoUrl ?? ""],
    ["CODEBUILD_BUILD_URL", build.buildUrl],
    ["CODEBUILD_CI", "true"],
    ["CODEBUILD_GOPATH", dirs.primary.replace(/\/[^/]*$/, "") || "/"],
    ["CODEBUILD_CONTAINER_NAME", "default"],
  ];
  for (const [id, dir] of dirs.secondary) {
    vars.push([`CODEBUILD_SRC_DIR_${id}`, dir]);
    vars.push([`CODEBUILD_SOURCE_VERSION_${id}`, source.secondary?.get(id)?.sourceVersion ?? ""]);
  }
  return vars
    .filter((v): v is [string, string] => v[1] !== undefined)
    .map(([name, value]) => ({ name, value, secret: false, source: "builtin" as const }));
}

/** AWS_REGION, AWS_DEFAULT_REGION and HOME: set by the platform, replaceable by the build's own. */
export function platformDefaults(
  build: BuildIdentity,
  home: string,
  access: Readonly<Record<string, string>> = {},
): BuildVariable[] {
  return [
    { name: "AWS_REGION", value: build.region, secret: false, source: "platform-default" },
    { name: "AWS_DEFAULT_REGION", value: build.region, secret: false, source: "platform-default" },
    { name: "HOME", value: home, secret: false, source: "platform-default" },
    // AWS access from inside (PlatformAccess): the authorization token is masked like a key.
    ...Object.entries(access).map(([name, value]) => ({
      name,
      value,
      secret: name === "AWS_CONTAINER_AUTHORIZATION_TOKEN",
      source: "platform-default" as const,
    })),
  ];
}

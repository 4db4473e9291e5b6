import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { LOGIN_PASSWORD_PATH, SDK_V2_PRELOAD } from "./inside-environment.js";

/**
 * `aws`, first on PATH inside: runs the real AWS CLI (the next `aws` on PATH) with
 * `--endpoint-url $PIPEWRIGHT_ENDPOINT` (unless the command names one), because Debian's CLI
 * 2.9 ignores AWS_ENDPOINT_URL. It also answers, itself:
 *  - `aws ecr get-login [--no-include-email] ...`, gone from CLI v2: prints the `docker login`
 *    command CLI v1 printed (`-e none` unless --no-include-email), for `$(aws ecr get-login ...)`;
 *  - `aws ecr get-login-password` in an image without any AWS CLI, from the server's
 *    inside endpoint with the session's authorization token (curl or wget).
 */
export const AWS_WRAPPER = `#!/bin/sh
# Pipewright's aws shim (src/inside/shims.ts): the real AWS CLI, pointed at Pipewright.
# The next aws on PATH that is not this file (-ef: the same file, whatever path reached it).
__pw_real=$(
  IFS=:
  for d in $PATH; do
    [ "$d/aws" -ef "$0" ] && continue
    [ -x "$d/aws" ] && { printf '%s\\n' "$d/aws"; exit 0; }
  done
  exit 1
)

__pw_password() {
  if [ -n "$__pw_real" ]; then
    "$__pw_real" --endpoint-url "$PIPEWRIGHT_ENDPOINT" ecr get-login-password
  elif command -v curl >/dev/null 2>&1; then
    curl -fsS -H "Authorization: $AWS_CONTAINER_AUTHORIZATION_TOKEN" "$PIPEWRIGHT_ENDPOINT${LOGIN_PASSWORD_PATH}"
  elif command -v wget >/dev/null 2>&1; then
    wget -q -O - --header "Authorization: $AWS_CONTAINER_AUTHORIZATION_TOKEN" "$PIPEWRIGHT_ENDPOINT${LOGIN_PASSWORD_PATH}"
  else
    echo "aws: this build image has no AWS CLI, curl or wget; Pipewright cannot get a registry password" >&2
    return 127
  fi
}

if [ "$1" = ecr ] && [ "$2" = get-login ]; then
  __pw_email="-e none "
  for a in "$@"; do [ "$a" = --no-include-email ] && __pw_email=""; done
  __pw_pw=$(__pw_password) || exit $?
  printf 'docker login -u AWS -p %s %shttp://%s\\n' "$__pw_pw" "$__pw_email" "$PIPEWRIGHT_REGISTRY"
  exit 0
fi

if [ -z "$__pw_real" ]; then
  if [ "$1" = ecr ] && [ "$2" = get-login-password ]; then __pw_password; exit $?; fi
  echo "aws: command not found (this build image has no AWS CLI; Pipewright's shim answers only ecr get-login and ecr get-login-password without one)" >&2
  exit 127
fi

for a in "$@"; do
  case "$a" in --endpoint-url|--endpoint-url=*) exec "$__pw_real" "$@" ;; esac
done
if [ -n "$PIPEWRIGHT_ENDPOINT" ]; then exec "$__pw_real" --endpoint-url "$PIPEWRIGHT_ENDPOINT" "$@"; fi
exec "$__pw_real" "$@"
`;

/**
 * Preloaded with `NODE_OPTIONS=--require`: the JavaScript SDK v2 (package aws-sdk) reads no
 * endpoint variable, so when a program loads it, its global configuration gets the server's
 * endpoint (and path-style S3, which an IP endpoint needs). Credentials come from the SDK's own
 * container credentials provider (AWS_CONTAINER_CREDENTIALS_FULL_URI). Programs without aws-sdk
 * are not affected: the hook only looks at what they load.
 */
export const SDK_V2_PRELOAD_SOURCE = `"use strict";
// Pipewright (src/inside/shims.ts): points the AWS SDK for JavaScript v2 at Pipewright.
const Module = require("module");
const endpoint = process.env.PIPEWRIGHT_ENDPOINT;
if (endpoint && !Module.__pipewrightEndpoint) {
  Module.__pipewrightEndpoint = true;
  const load = Module._load;
  Module._load = function pipewrightLoad(request, parent, isMain) {
    const loaded = load.apply(this, arguments);
    if ((request === "aws-sdk" || request === "aws-sdk/global") && loaded && loaded.config && !loaded.__pipewright) {
      loaded.__pipewright = true;
      loaded.config.update({ endpoint: endpoint, s3ForcePathStyle: true });
    }
    return loaded;
  };
}
`;

/**
 * `python/sitecustomize.py` (PYTHONPATH): boto3 before 1.28 (Debian 12 ships 1.26) reads no
 * AWS_ENDPOINT_URL. When a program imports botocore.session, its Session.create_client gets
 * the server's endpoint as a default; an explicit endpoint_url wins. Nothing is imported
 * eagerly, so Python programs that never touch botocore pay nothing. A sitecustomize that the
 * system had is still run after ours.
 */
export const PYTHON_SITECUSTOMIZE = `# Pipewright (src/inside/shims.ts): points botocore (boto3, old and new) at Pipewright.
import os as _os, sys as _sys

_endpoint = _os.environ.get("PIPEWRIGHT_ENDPOINT")
if _endpoint:
    import importlib.abc as _abc, importlib.util as _util

    class _PipewrightBotocore(_abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name != "botocore.session":
                return None
            _sys.meta_path.remove(self)
            spec = _util.find_spec(name)
            if spec is None or spec.loader is None:
                return spec
            run = spec.loader.exec_module

            def exec_module(module):
                run(module)
                original = module.Session.create_client
                import inspect as _inspect
                signature = _inspect.signature(original)

                # botocore's parameter order differs between versions (the AWS CLI v2 bundles
                # its own), so the endpoint is found by name, never by position.
                def create_client(*args, **kwargs):
                    bound = signature.bind(*args, **kwargs)
                    if bound.arguments.get("endpoint_url") is None:
                        bound.arguments["endpoint_url"] = _endpoint
                    return original(*bound.args, **bound.kwargs)

                module.Session.create_client = create_client

            spec.loader.exec_module = exec_module
            return spec

    _sys.meta_path.insert(0, _PipewrightBotocore())

# Run the sitecustomize this one hides (Debian has one), if any.
_here = _os.path.dirname(_os.path.abspath(__file__))
for _dir in _sys.path:
    _other = _os.path.join(_dir or ".", "sitecustomize.py")
    if _os.path.abspath(_dir or ".") != _here and _os.path.isfile(_other):
        with open(_other) as _f:
            exec(compile(_f.read(), _other, "exec"), {"__name__": "sitecustomize", "__file__": _other})
        break
`;

/**
 * Writes the shims into `dir` (created if needed), atomically and only when they changed, so
 * builds running at the same moment never see a half-written file. Returns `dir`.
 */
export function writeShims(dir: string): string {
  mkdirSync(join(dir, "python"), { recursive: true });
  for (const [name, text, mode] of [
    ["aws", AWS_WRAPPER, 0o755],
    [SDK_V2_PRELOAD, SDK_V2_PRELOAD_SOURCE, 0o644],
    ["python/sitecustomize.py", PYTHON_SITECUSTOMIZE, 0o644],
  ] as const) {
    const path = join(dir, name);
    let current: string | undefined;
    try {
      current = readFileSync(path, "utf8");
    } catch {
      current = undefined;
    }
    if (current === text) continue;
    const temp = `${path}.${process.pid}.tmp`;
    writeFileSync(temp, text);
    chmodSync(temp, mode);
    renameSync(temp, path);
  }
  return dir;
}

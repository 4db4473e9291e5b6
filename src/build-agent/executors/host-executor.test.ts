import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { executorContract } from "./executor.contract.js";
import { createHostExecutor } from "./host-executor.js";
import { createSandboxExecutor, sandboxAvailable } from "./sandbox-executor.js";

// The shared executor contract, on the host and in bubblewrap (the container run is in
// container-executor.test.ts).
const makeBuildRoot = () => {
  // Not under /tmp: the sandbox gives builds a private /tmp.
  const hostPath = mkdtempSync(join("/var/tmp", "pw-host-exec-"));
  return { hostPath, mounts: [{ hostPath, path: hostPath, readOnly: false }] };
};
const baseSpec = { env: { PATH: process.env.PATH ?? "/usr/bin:/bin" } };

executorContract("host", {
  makeExecutor: () => createHostExecutor(),
  makeBuildRoot,
  baseSpec,
  processesVisibleOnHost: true,
});

const bwrap = sandboxAvailable();
executorContract("sandbox (bubblewrap)", {
  skip:
    bwrap.ok || process.env.PIPEWRIGHT_REQUIRE_BWRAP === "1"
      ? false
      : `${bwrap.ok ? "" : bwrap.reason} (set PIPEWRIGHT_REQUIRE_BWRAP=1 to fail instead)`,
  makeExecutor: () => createSandboxExecutor(),
  makeBuildRoot,
  baseSpec,
  processesVisibleOnHost: true,
});

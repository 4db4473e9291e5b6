/**
 * lambda: running Lambda-compatible functions on this machine (shell: Node APIs, processes).
 *
 * Owns: the runtimes (`nodejs18.x`..`nodejs22.x` on this Node.js, `python3.*` on python3),
 * their bootstraps (Lambda's handler contracts), unpacking code safely (src/zip), one child
 * process per invocation with Lambda's variables, timeout and log lines, the bubblewrap sandbox.
 *
 * Does not own: the functions' records (store/), the Lambda API (api/lambda), who may invoke
 * or with which credentials (runtime/functions, main/functions.ts).
 */

export { tail } from "./function-log.js";
export {
  bwrapWorks,
  createFunctionRunner,
  type FunctionRunner,
  type RunRequest,
  type RunResult,
} from "./function-runner.js";
export { NODE_RUNTIMES, PYTHON_RUNTIMES, runtimeFamily } from "./runtimes.js";

/**
 * The Node.js runtime's bootstrap, written next to the functions' code and run as
 * `node bootstrap.cjs` in the function's directory (LAMBDA_TASK_ROOT) for one invocation.
 * Lambda's handler contract for `nodejs*`: `_HANDLER` is `path/module.export`; the module is
 * `.mjs` (ESM), `.cjs` or `.js` (CommonJS, or ESM when its package says "type": "module");
 * the handler is async (its promise's value is the result) or takes a callback
 * (`callback(error, result)`, and with `context.callbackWaitsForEmptyEventLoop` true, the
 * default, the process ends only once the event loop is empty); legacy `context.succeed`,
 * `context.fail` and `context.done` work too. console lines are `time\trequestId\tLEVEL\tmessage`
 * as in Lambda. The event arrives on stdin. The result (or the error, in Lambda's `errorType`/`errorMessage`/`trace` shape)
 * goes to file descriptor 3 as one JSON document; stdout and stderr are the function's log.
 */
export const NODE_BOOTSTRAP = `"use strict";
const fs = require("node:fs");
const path = require("node:path");
const util = require("node:util");
const { pathToFileURL } = require("node:url");

const env = process.env;
// Set when the invocation arrives (the process may start, and load the handler, before it).
let requestId = "";
let deadline = 0;

for (const [name, level] of [["log", "INFO"], ["info", "INFO"], ["warn", "WARN"], ["error", "ERROR"], ["debug", "DEBUG"], ["trace", "TRACE"]]) {
  console[name] = (...args) => {
    process.stdout.write(new Date().toISOString() + "\\t" + requestId + "\\t" + level + "\\t" + util.format(...args) + "\\n");
  };
}

let reported = false;
function report(result) {
  if (reported) return;
  reported = true;
  let text;
  try {
    text = JSON.stringify(result.error ? { error: result.error } : { payload: result.payload === undefined ? null : result.payload });
  } catch (e) {
    text = JSON.stringify({ error: { errorType: "Runtime.MarshalError", errorMessage: "Unable to stringify response body: " + e.message, trace: [] } });
  }
  fs.writeSync(3, text);
}
function errorOf(e) {
  if (e instanceof Error) return { errorType: e.name || "Error", errorMessage: e.message, trace: String(e.stack || "").split("\\n") };
  if (typeof e === "object" && e !== null) return { errorType: "object", errorMessage: JSON.stringify(e), trace: [] };
  return { errorType: typeof e, errorMessage: String(e), trace: [] };
}
function fail(errorType, errorMessage) {
  report({ error: { errorType, errorMessage, trace: [] } });
  process.exit(1);
}

process.on("uncaughtException", (e) => {
  report({ error: errorOf(e) });
  process.exit(1);
});
process.on("unhandledRejection", (reason) => {
  const e = errorOf(reason);
  report({ error: { errorType: "Runtime.UnhandledPromiseRejection", errorMessage: e.errorType + ": " + e.errorMessage, trace: e.trace } });
  process.exit(1);
});
// A handler that neither returned a promise nor called back: the result is null, as in Lambda.
process.on("beforeExit", () => report({ payload: null }));

async function load(spec) {
  const dot = spec.lastIndexOf(".");
  if (dot <= 0 || dot === spec.length - 1) fail("Runtime.MalformedHandlerName", "Bad handler " + spec);
  const modulePath = spec.slice(0, dot);
  const exportName = spec.slice(dot + 1);
  const base = path.resolve(process.cwd(), modulePath);
  if (!base.startsWith(process.cwd() + path.sep)) fail("Runtime.MalformedHandlerName", "Bad handler " + spec);
  const file = [".mjs", ".cjs", ".js"].map((ext) => base + ext).find((f) => fs.existsSync(f));
  if (!file) fail("Runtime.ImportModuleError", "Error: Cannot find module '" + modulePath + "'");
  let mod;
  if (file.endsWith(".mjs")) mod = await import(pathToFileURL(file).href);
  else {
    try {
      mod = require(file);
    } catch (e) {
      if (e && e.code === "ERR_REQUIRE_ESM") mod = await import(pathToFileURL(file).href);
      else throw e;
    }
  }
  let handler = mod && mod[exportName];
  if (handler === undefined && mod && mod.default) handler = mod.default[exportName];
  if (typeof handler !== "function") fail("Runtime.HandlerNotFound", spec + " is undefined or not exported");
  return handler;
}

async function main() {
  // Init first, as Lambda does: a process started ahead of its invocation has loaded the
  // handler by the time the invocation ({requestId, deadline, event}) arrives on stdin.
  let handler;
  let loadError;
  try {
    handler = await load(env._HANDLER || "");
  } catch (e) {
    loadError = errorOf(e);
  }
  const invocation = JSON.parse(fs.readFileSync(0, "utf8"));
  requestId = invocation.requestId;
  deadline = invocation.deadline;
  const event = invocation.event;
  if (loadError) return fail("Runtime.ImportModuleError", loadError.errorType + ": " + loadError.errorMessage);
  const context = {
    awsRequestId: requestId,
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: env.PIPEWRIGHT_FUNCTION_ARN,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    succeed: (value) => finish(null, value, true),
    fail: (error) => finish(error === undefined || error === null ? "handled" : error, undefined, true),
    done: (error, value) => finish(error, value, true),
  };
  delete env.PIPEWRIGHT_FUNCTION_ARN;
  function finish(error, value, now) {
    if (error !== null && error !== undefined) report({ error: errorOf(error) });
    else report({ payload: value });
    // Async handlers and context.succeed/fail end the invocation at once; a callback waits for
    // the event loop to empty unless the handler said not to.
    if (now || !context.callbackWaitsForEmptyEventLoop) process.exit(0);
  }
  let returned;
  try {
    returned = handler(event, context, (error, value) => finish(error, value, false));
  } catch (e) {
    return finish(e, undefined, true);
  }
  if (returned && typeof returned.then === "function") {
    returned.then((value) => finish(null, value, true), (e) => finish(e, undefined, true));
  }
}
main().catch((e) => {
  report({ error: errorOf(e) });
  process.exit(1);
});
`;

/**
 * The Python runtime's bootstrap (`python3 -u bootstrap.py` in LAMBDA_TASK_ROOT), for one
 * invocation: `_HANDLER` is `module.function` (a module path may use `/`); the invocation
 * (`{requestId, deadline, event}`) arrives on stdin once the module is imported; the result, or the error in Lambda's Python shape (`errorMessage`, `errorType`,
 * `requestId`, `stackTrace`), goes to file descriptor 3 as one JSON document.
 */
export const PYTHON_BOOTSTRAP = `import json, os, sys, time, traceback, importlib

request_id = ""
deadline = 0.0
arn = os.environ.pop("PIPEWRIGHT_FUNCTION_ARN", "")
sys.path.insert(0, os.getcwd())
out = os.fdopen(3, "w")

def report(document):
    out.write(json.dumps(document))
    out.flush()

def error(error_type, message, trace):
    report({"error": {"errorMessage": message, "errorType": error_type, "requestId": request_id, "stackTrace": trace}})

class Context:
    def __init__(self):
        self.aws_request_id = request_id
    function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
    function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
    invoked_function_arn = arn
    memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
    log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
    log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
    def get_remaining_time_in_millis(self):
        return max(0, int(deadline - time.time() * 1000))

spec = os.environ.get("_HANDLER", "")
module_name, _, function_name = spec.rpartition(".")
module = None
load_error = None
if module_name and function_name:
    try:
        module = importlib.import_module(module_name.replace("/", "."))
    except Exception as e:
        load_error = "Unable to import module '%s': %s" % (module_name, e)
invocation = json.loads(sys.stdin.read())
request_id = invocation["requestId"]
deadline = float(invocation["deadline"])
event = invocation["event"]
if not module_name or not function_name:
    error("Runtime.MalformedHandlerName", "Bad handler '%s': not enough values to unpack (expected 2, got 1)" % spec, [])
    sys.exit(1)
if load_error:
    error("Runtime.ImportModuleError", load_error, [])
    sys.exit(1)
handler = getattr(module, function_name, None)
if not callable(handler):
    error("Runtime.HandlerNotFound", "Handler '%s' missing on module '%s'" % (function_name, module_name), [])
    sys.exit(1)
try:
    result = handler(event, Context())
except Exception as e:
    error(type(e).__name__, str(e), traceback.format_list(traceback.extract_tb(e.__traceback__)[1:]))
    sys.exit(0)
try:
    report({"payload": result})
except TypeError as e:
    error("Runtime.MarshalError", "Unable to marshal response: %s" % e, [])
`;

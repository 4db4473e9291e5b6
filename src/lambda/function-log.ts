/** Lambda's REPORT line (durations in ms with two decimals, billed rounded up to the millisecond). */
export function reportLine(requestId: string, durationMs: number, memorySize: number): string {
  return `REPORT RequestId: ${requestId}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${Math.ceil(durationMs)} ms\tMemory Size: ${memorySize} MB`;
}

/** The last `bytes` bytes of a log (what Invoke's LogType Tail returns, base64, 4 KB in Lambda). */
export function tail(log: string, bytes = 4096): string {
  const buffer = Buffer.from(log, "utf8");
  return buffer.subarray(Math.max(0, buffer.length - bytes)).toString("base64");
}

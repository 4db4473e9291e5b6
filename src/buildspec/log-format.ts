/**
 * The build log's agent lines (spec/buildspec.md §4.6): `[Container] YYYY/MM/DD HH:MM:SS.ffffff `
 * then the message, in UTC. Command output lines are written as they come, without a prefix.
 */
export function agentLine(epochMs: number, message: string): string {
  return `${agentPrefix(epochMs)}${message}`;
}

export function agentPrefix(epochMs: number): string {
  const d = new Date(epochMs);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  const date = `${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}`;
  const time = `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
  return `[Container] ${date} ${time}.${p(d.getUTCMilliseconds(), 3)}000 `;
}

/** The two lines CodeBuild writes when a phase ends. */
export function phaseCompleteLines(
  phase: string,
  status: string,
  context?: { readonly statusCode?: string; readonly message?: string },
): [string, string] {
  return [
    `Phase complete: ${phase} State: ${status}`,
    `Phase context status code: ${context?.statusCode ?? ""} Message: ${context?.message ?? ""}`,
  ];
}

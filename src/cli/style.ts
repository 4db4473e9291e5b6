/** Colours for human output: only on a terminal, never with NO_COLOR set (https://no-color.org). */
export interface Style {
  readonly status: (status: string) => string;
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
}

export function createStyle(isTty: boolean, env: Readonly<Record<string, string | undefined>>): Style {
  const on = isTty && !env.NO_COLOR && env.TERM !== "dumb";
  const wrap = (code: string) => (text: string) => (on ? `\u001b[${code}m${text}\u001b[0m` : text);
  const green = wrap("32");
  const red = wrap("31");
  const yellow = wrap("33");
  const cyan = wrap("36");
  const dim = wrap("2");
  return {
    status: (status) => {
      if (/^(Succeeded|SUCCEEDED|Approved)$/.test(status)) return green(status);
      if (/^(Failed|FAILED|FAULT|TIMED_OUT|Rejected)$/.test(status)) return red(status);
      if (/^(Stopped|Stopping|Abandoned|STOPPED|Superseded|Cancelled)$/.test(status)) return yellow(status);
      if (/^(InProgress|IN_PROGRESS)$/.test(status)) return cyan(status);
      return status;
    },
    bold: wrap("1"),
    dim,
  };
}

import { StringDecoder } from "node:string_decoder";

/** What the session's output stream carries besides plain output lines. */
export type SessionSignal =
  | { readonly kind: "ready" }
  | { readonly kind: "done"; readonly n: number; readonly status: number }
  | { readonly kind: "fail"; readonly message: string };

/** Longest partial line kept before it is emitted anyway (progress bars never end their line). */
const MAX_PENDING = 64 * 1024;
const RS = "\u001e";

/**
 * Splits a session's output into lines and protocol signals (see bootstrap.ts). Output before a
 * signal is always emitted first, and a partial line is flushed when a command ends, so a
 * command's last words never slip behind the agent's next line. Carriage returns at line ends
 * are dropped.
 */
export class OutputParser {
  private readonly decoder = new StringDecoder("utf8");
  private pending = "";

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly onSignal: (signal: SessionSignal) => void,
  ) {}

  push(chunk: Buffer | string): void {
    this.pending += typeof chunk === "string" ? chunk : this.decoder.write(chunk);
    this.drain();
  }

  /** Emits whatever is left (the stream ended). */
  end(): void {
    this.pending += this.decoder.end();
    this.drain();
    if (this.pending.length > 0) this.emitLine(this.pending);
    this.pending = "";
  }

  private drain(): void {
    for (;;) {
      const rs = this.pending.indexOf(RS);
      const text = rs === -1 ? this.pending : this.pending.slice(0, rs);
      const lastNewline = text.lastIndexOf("\n");
      if (lastNewline !== -1) {
        for (const line of text.slice(0, lastNewline).split("\n")) this.emitLine(line);
        this.pending = this.pending.slice(lastNewline + 1);
        continue;
      }
      if (rs === -1) {
        if (this.pending.length > MAX_PENDING) {
          this.emitLine(this.pending);
          this.pending = "";
        }
        return;
      }
      // A signal: `RS body RS \n`. Wait for the whole of it.
      const close = this.pending.indexOf(RS, rs + 1);
      if (close === -1 || this.pending.length < close + 2) return;
      if (rs > 0) this.emitLine(this.pending.slice(0, rs));
      const body = this.pending.slice(rs + 1, close);
      this.pending = this.pending.slice(close + (this.pending[close + 1] === "\n" ? 2 : 1));
      const signal = parseSignal(body);
      if (signal) this.onSignal(signal);
      else this.emitLine(`${RS}${body}${RS}`);
    }
  }

  private emitLine(line: string): void {
    this.onLine(line.endsWith("\r") ? line.slice(0, -1) : line);
  }
}

function parseSignal(body: string): SessionSignal | undefined {
  if (body === "PWREADY") return { kind: "ready" };
  const done = /^PWDONE (\d+) (\d+)$/.exec(body);
  if (done) return { kind: "done", n: Number(done[1]), status: Number(done[2]) };
  if (body.startsWith("PWFAIL ")) return { kind: "fail", message: body.slice(7) };
  return undefined;
}

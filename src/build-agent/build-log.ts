import { agentLine } from "../buildspec/log-format.js";
import { createMasker, type Masker } from "../buildspec/masker.js";

/**
 * The build's log: command output as it comes, the agent's own lines with CodeBuild's
 * `[Container] <time>` prefix, and every line masked before it leaves (secrets become known
 * only in DOWNLOAD_SOURCE, so the masker can be replaced; lines before that hold no secrets).
 */
export class BuildLog {
  private mask: Masker = (t) => t;

  constructor(
    private readonly sink: (line: string, origin: "agent" | "output") => void,
    private readonly now: () => number,
  ) {}

  /** Masks every later line with these values (on top of nothing: pass every secret at once). */
  setSecrets(values: readonly string[]): void {
    this.mask = createMasker(values);
  }

  /** A masking function for text that leaves the agent by another way (API answers). */
  masker(): Masker {
    return this.mask;
  }

  /** An agent line; a multi-line message (a `|` command) continues on unprefixed lines. */
  agent(message: string): void {
    const [first = "", ...rest] = this.mask(message).split("\n");
    this.sink(agentLine(this.now(), first), "agent");
    for (const line of rest) this.sink(line, "agent");
  }

  output(line: string): void {
    this.sink(this.mask(line), "output");
  }
}

import type { BuildPhaseType, BuildStatus } from "../buildspec/build-phases.js";
import { phaseCompleteLines } from "../buildspec/log-format.js";
import type { BuildLog } from "./build-log.js";
import type { BuildListener, PhaseRecord } from "./types.js";

export interface PhaseContext {
  readonly statusCode: string;
  readonly message: string;
}

/** The build's phase list as the API shows it, kept current and reported on every change. */
export class PhaseTracker {
  private readonly list: PhaseRecord[] = [];

  constructor(
    private readonly now: () => number,
    private readonly listener: BuildListener,
    private readonly log: BuildLog,
  ) {}

  get phases(): readonly PhaseRecord[] {
    return this.list;
  }

  get current(): PhaseRecord | undefined {
    return this.list.at(-1);
  }

  begin(phaseType: BuildPhaseType): void {
    this.list.push({ phaseType, startTime: this.now(), contexts: [] });
    this.listener.phases([...this.list]);
  }

  /** Ends the current phase; `logged` phases write CodeBuild's two "Phase complete" lines. */
  end(status: BuildStatus, context?: PhaseContext, logged = true): void {
    const phase = this.list.at(-1);
    if (!phase || phase.phaseStatus !== undefined) throw new Error("no phase in progress");
    const endTime = Math.max(this.now(), phase.startTime);
    // The API shows a context on every ended phase (empty strings on success).
    const contexts = [context ?? { statusCode: "", message: "" }];
    this.list[this.list.length - 1] = {
      ...phase,
      phaseStatus: status,
      endTime,
      durationInSeconds: Math.round((endTime - phase.startTime) / 1000),
      contexts,
    };
    if (logged) for (const line of phaseCompleteLines(phase.phaseType, status, context)) this.log.agent(line);
    this.listener.phases([...this.list]);
  }
}

/** Where a command writes; injected so commands are testable without a terminal. */
export interface CommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly isTty: boolean;
  readonly readFile: (path: string) => string;
}

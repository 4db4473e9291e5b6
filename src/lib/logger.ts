/**
 * Structured logging. Implementations must never throw and must not block the caller;
 * `fields` are plain JSON values. Secrets are masked before they reach a logger.
 */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

import { err, ok, type Result } from "../lib/result.js";
import type { OnFailure } from "./types.js";

/** Retries when `on-failure` is `RETRY` or `RETRY-<regex>` without a count (spec §3.4). */
export const defaultRetryCount = 3;

const forms = "ABORT, CONTINUE, RETRY, RETRY-<count>, RETRY-<regex> or RETRY-<count>-<regex>";

/**
 * Reads a phase's `on-failure` value: `ABORT`, `CONTINUE`, `RETRY`, `RETRY-<count>`,
 * `RETRY-<regex>` or `RETRY-<count>-<regex>`. Keywords are upper case as AWS writes them; the
 * count must be a positive integer and the regex must compile. The error is a message for the
 * user (without the key name; the caller adds where it was found).
 */
export function parseOnFailure(text: string): Result<OnFailure, string> {
  if (text === "ABORT") return ok({ kind: "ABORT" });
  if (text === "CONTINUE") return ok({ kind: "CONTINUE" });
  if (text === "RETRY") return ok({ kind: "RETRY", count: defaultRetryCount });
  if (!text.startsWith("RETRY-")) {
    const upper = text.toUpperCase();
    const hint =
      upper === "ABORT" || upper === "CONTINUE" || upper === "RETRY" || upper.startsWith("RETRY-")
        ? `; write the keyword in upper case (${upper.split("-")[0]})`
        : "";
    return err(`${JSON.stringify(text)} is not a valid on-failure value; use ${forms}${hint}`);
  }
  const rest = text.slice("RETRY-".length);
  if (rest === "") return err(`"RETRY-" needs a count or a regex after the dash, e.g. RETRY-2`);
  const countOnly = /^[+-]?\d+$/u.exec(rest);
  if (countOnly) return retry(rest, undefined);
  const countAndRegex = /^(\d+)-(.*)$/su.exec(rest);
  if (countAndRegex) {
    const pattern = countAndRegex[2]!;
    if (pattern === "")
      return err(`"${text}" has a count but no regex after the second dash; remove the dash or add a regex`);
    return retry(countAndRegex[1]!, pattern);
  }
  return withPattern(defaultRetryCount, rest);
}

function retry(countText: string, pattern: string | undefined): Result<OnFailure, string> {
  const count = Number(countText);
  if (!/^\d+$/u.test(countText) || !Number.isSafeInteger(count) || count < 1) {
    return err(`the retry count in RETRY-${countText} must be a positive integer, e.g. RETRY-2`);
  }
  return pattern === undefined ? ok({ kind: "RETRY", count }) : withPattern(count, pattern);
}

function withPattern(count: number, pattern: string): Result<OnFailure, string> {
  try {
    // No flags: the most permissive JS dialect, closest to the Go agent's RE2.
    new RegExp(pattern);
  } catch (error) {
    const reason = (error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /su, "");
    return err(
      `the retry regex ${JSON.stringify(pattern)} does not compile (${reason}); fix or quote the pattern`,
    );
  }
  return ok({ kind: "RETRY", count, pattern });
}

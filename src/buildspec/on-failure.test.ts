import { describe, expect, it } from "vitest";
import { parseOnFailure } from "./on-failure.js";

describe("parseOnFailure", () => {
  it.each([
    ["ABORT", { kind: "ABORT" }],
    ["CONTINUE", { kind: "CONTINUE" }],
    ["RETRY", { kind: "RETRY", count: 3 }],
    ["RETRY-2", { kind: "RETRY", count: 2 }],
    ["RETRY-timeout.*", { kind: "RETRY", count: 3, pattern: "timeout.*" }],
    ["RETRY-5-^Error: (429|503)", { kind: "RETRY", count: 5, pattern: "^Error: (429|503)" }],
  ])("reads %s", (text, expected) => {
    expect(parseOnFailure(text)).toEqual({ ok: true, value: expected });
  });

  it.each([
    [
      "abort",
      '"abort" is not a valid on-failure value; use ABORT, CONTINUE, RETRY, RETRY-<count>, RETRY-<regex> or RETRY-<count>-<regex>; write the keyword in upper case (ABORT)',
    ],
    [
      "STOP",
      '"STOP" is not a valid on-failure value; use ABORT, CONTINUE, RETRY, RETRY-<count>, RETRY-<regex> or RETRY-<count>-<regex>',
    ],
    ["RETRY-", '"RETRY-" needs a count or a regex after the dash, e.g. RETRY-2'],
    ["RETRY-0", "the retry count in RETRY-0 must be a positive integer, e.g. RETRY-2"],
    ["RETRY--1", "the retry count in RETRY--1 must be a positive integer, e.g. RETRY-2"],
    ["RETRY-2-", '"RETRY-2-" has a count but no regex after the second dash; remove the dash or add a regex'],
    [
      "RETRY-(oops",
      'the retry regex "(oops" does not compile (Unterminated group); fix or quote the pattern',
    ],
    [
      "RETRY-2-[a",
      'the retry regex "[a" does not compile (Unterminated character class); fix or quote the pattern',
    ],
  ])("rejects %s", (text, message) => {
    expect(parseOnFailure(text)).toEqual({ ok: false, error: message });
  });
});

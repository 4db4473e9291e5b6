import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseJsonText } from "./json-text.js";

describe("parseJsonText", () => {
  it.each([
    ["", 1, 1, "unexpected end of input, expected a value"],
    ["[1,]", 1, 4, "unexpected ']', expected a value"],
    [
      '[{"name": "a",\n  "imageUri": "b",\n}]',
      3,
      1,
      "unexpected '}', expected a property name in double quotes",
    ],
    ['[{"name" "a"}]', 1, 10, "unexpected '\"', expected ':' after property name"],
    ["[1 2]", 1, 4, "unexpected '2', expected ',' or ']'"],
    ['{"a": 1} x', 1, 10, "unexpected 'x' after the end of the JSON value"],
    ['["abc', 1, 2, "unterminated string"],
    ["{'a': 1}", 1, 2, "unexpected ''', expected a property name in double quotes"],
    ['["\\x"]', 1, 3, "invalid escape in string"],
    ["[01]", 1, 3, "unexpected '1', expected ',' or ']'"],
    ["[\n\n  tru]", 3, 3, "unexpected 't', expected a value"],
  ])("reports %j at line %i, column %i", (text, line, column, reason) => {
    expect(parseJsonText(text)).toEqual({ ok: false, error: { reason, line, column } });
  });

  it("refuses nesting deeper than 256 levels instead of overflowing the stack", () => {
    const r = parseJsonText(`${"[".repeat(100_000)}${"]".repeat(100_000)}`);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.reason).toBe("nesting deeper than 256 levels");
  });

  it("agrees with JSON.parse on every valid JSON text", () => {
    fc.assert(
      fc.property(fc.json({ depthSize: "medium" }), (text) => {
        expect(parseJsonText(text)).toEqual({ ok: true, value: JSON.parse(text) });
      }),
      { numRuns: 2000 },
    );
  });

  it("accepts exactly what JSON.parse accepts, and never throws", () => {
    const alphabet = fc.constantFrom(...'[]{}",:0123456789.-+eEtrufalsn\\u \n\tabc'.split(""));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: alphabet, maxLength: 30 }),
          fc.string(),
          fc.json().map((j) => j.slice(0, -1)),
        ),
        (text) => {
          let expected: unknown;
          let valid = true;
          try {
            expected = JSON.parse(text);
          } catch {
            valid = false;
          }
          const r = parseJsonText(text);
          expect(r.ok).toBe(valid);
          if (r.ok) expect(r.value).toEqual(expected);
          else {
            expect(r.error.line).toBeGreaterThanOrEqual(1);
            expect(r.error.column).toBeGreaterThanOrEqual(1);
          }
        },
      ),
      { numRuns: 5000 },
    );
  });
});

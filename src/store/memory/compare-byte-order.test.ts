import { describe, expect, it } from "vitest";
import { compareByteOrder } from "./compare-byte-order.js";

function byteOrder(values: string[]): string[] {
  return [...values].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

describe("compareByteOrder", () => {
  it("orders ASCII by byte value, so punctuation, digits and capitals come before lowercase", () => {
    const names = ["b", "B", "_x", "a", "-x", ".x", "0", "@x", "Z", "ab", "a-"];
    expect([...names].sort(compareByteOrder)).toEqual(byteOrder(names));
  });

  it("puts characters above U+FFFF after U+E000–U+FFFF, as UTF-8 bytes do", () => {
    const names = ["\u{1F600}", "\uFF21", "\uE000", "\uD7FF", "z", "\u{10000}", "\uFFFF"];
    expect([...names].sort(compareByteOrder)).toEqual(byteOrder(names));
    expect(compareByteOrder("\u{1F600}", "\uFF21")).toBeGreaterThan(0);
  });

  it("orders a prefix before the longer string and treats equal strings as equal", () => {
    expect(compareByteOrder("pipe", "pipeline")).toBeLessThan(0);
    expect(compareByteOrder("pipeline", "pipeline")).toBe(0);
  });
});

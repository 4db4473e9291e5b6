/**
 * Orders strings as their UTF-8 bytes compare (which is also code point order): the order SQLite's
 * BINARY collation and PostgreSQL's "C" collation give. JavaScript's `<` compares UTF-16 code
 * units instead, which puts characters above U+FFFF (stored as surrogates, 0xD800–0xDFFF) before
 * U+E000–U+FFFF; this corrects exactly that case and allocates nothing.
 */
export function compareByteOrder(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** Moves surrogates above U+E000–U+FFFF and keeps every other code unit's order. */
function codePointRank(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800;
  if (unit >= 0xd800) return unit + 0x2000;
  return unit;
}

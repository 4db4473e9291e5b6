import { err, ok, type Result } from "../../lib/result.js";

/** Where and why a JSON text is not valid JSON (line and column count from 1). */
export interface JsonSyntaxError {
  readonly reason: string;
  readonly line: number;
  readonly column: number;
}

/** Deeper nesting than this is refused (a stack overflow is not an error message). */
const MAX_DEPTH = 256;

/**
 * Parses strict JSON (RFC 8259) and reports the first error with its line and column, the same
 * on every Node version (V8's own messages differ between versions and omit the line).
 */
export function parseJsonText(text: string): Result<unknown, JsonSyntaxError> {
  let i = 0;
  const fail = (reason: string, at = i): never => {
    throw new JsonFailure(reason, at);
  };
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const describe = (at: number) => (at >= text.length ? "end of input" : `'${text[at]}'`);
  const value = (depth: number): unknown => {
    if (depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH} levels`);
    ws();
    const c = text[i];
    if (c === "{") return object(depth);
    if (c === "[") return array(depth);
    if (c === '"') return string();
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return number();
    for (const [word, v] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    return fail(`unexpected ${describe(i)}, expected a value`);
  };
  const object = (depth: number): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    i++;
    ws();
    if (text[i] === "}") {
      i++;
      return out;
    }
    for (;;) {
      ws();
      if (text[i] !== '"') fail(`unexpected ${describe(i)}, expected a property name in double quotes`);
      const key = string();
      ws();
      if (text[i] !== ":") fail(`unexpected ${describe(i)}, expected ':' after property name`);
      i++;
      Object.defineProperty(out, key, {
        value: value(depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      ws();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "}") {
        i++;
        return out;
      }
      fail(`unexpected ${describe(i)}, expected ',' or '}'`);
    }
  };
  const array = (depth: number): unknown[] => {
    const out: unknown[] = [];
    i++;
    ws();
    if (text[i] === "]") {
      i++;
      return out;
    }
    for (;;) {
      out.push(value(depth + 1));
      ws();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "]") {
        i++;
        return out;
      }
      fail(`unexpected ${describe(i)}, expected ',' or ']'`);
    }
  };
  const string = (): string => {
    const start = i;
    i++;
    let out = "";
    for (;;) {
      const c = text[i];
      if (c === undefined) fail("unterminated string", start);
      if (c === '"') {
        i++;
        return out;
      }
      if (c! < " ") fail("control character in string (escape it)");
      if (c === "\\") {
        const e = text[i + 1];
        const simple: Record<string, string> = {
          '"': '"',
          "\\": "\\",
          "/": "/",
          b: "\b",
          f: "\f",
          n: "\n",
          r: "\r",
          t: "\t",
        };
        if (e !== undefined && e in simple) {
          out += simple[e];
          i += 2;
        } else if (e === "u" && /^[0-9a-fA-F]{4}$/u.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(Number.parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else fail("invalid escape in string");
        continue;
      }
      out += c;
      i++;
    }
  };
  const number = (): number => {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/u.exec(text.slice(i, i + 400));
    if (!m) return fail("invalid number");
    i += m[0].length;
    return Number(m[0]);
  };
  try {
    const v = value(0);
    ws();
    if (i < text.length) fail(`unexpected ${describe(i)} after the end of the JSON value`);
    return ok(v);
  } catch (e) {
    if (!(e instanceof JsonFailure)) throw e;
    return err({ reason: e.reason, ...lineColumn(text, e.at) });
  }
}

class JsonFailure {
  constructor(
    readonly reason: string,
    readonly at: number,
  ) {}
}

function lineColumn(text: string, at: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < at && k < text.length; k++) {
    if (text[k] === "\n") {
      line++;
      lineStart = k + 1;
    }
  }
  return { line, column: at - lineStart + 1 };
}

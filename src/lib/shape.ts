/**
 * Shapes: typed readers for untrusted JSON that report every problem at once, in AWS's words.
 *
 * A shape turns `unknown` into a typed value. Problems are pushed to a list rather than thrown:
 *  - `type` problems (a string where a number belongs) are what AWS reports as SerializationException;
 *  - `constraint` problems (length, pattern, range, enum, missing member) are what AWS reports as
 *    ValidationException, with the clause text AWS uses ("Member must not be null", ...).
 *  - `unknown` problems are members the shape does not know; AWS ignores them, we warn.
 * Each problem carries two paths: `jsonPath` as the user wrote it (`pipeline.stages[1].name`)
 * and `awsPath` in AWS's 1-based `.member.` form (`pipeline.stages.2.member.name`).
 */

export type ShapeProblemKind = "type" | "constraint" | "unknown";

export interface ShapeProblem {
  readonly kind: ShapeProblemKind;
  readonly jsonPath: string;
  readonly awsPath: string;
  /** For constraint problems: AWS's clause, e.g. `Member must have length less than or equal to 100`. */
  readonly message: string;
  /** The offending value when it is a scalar (AWS quotes it in its message). */
  readonly value?: string | number | boolean | null;
}

export interface ShapeCursor {
  readonly jsonPath: string;
  readonly awsPath: string;
  readonly problems: ShapeProblem[];
}

export interface Shape<T> {
  /** Reads `value`; returns undefined (and records a problem) when it cannot produce a T. */
  read(value: unknown, at: ShapeCursor): T | undefined;
  readonly optional: boolean;
  /** A short type name for messages ("string", "integer", "list", "structure", ...). */
  readonly typeName: string;
}

export type Infer<S> = S extends Shape<infer T> ? T : never;

function child(at: ShapeCursor, jsonSegment: string, awsSegment: string): ShapeCursor {
  return {
    jsonPath: at.jsonPath
      ? `${at.jsonPath}${jsonSegment.startsWith("[") ? "" : "."}${jsonSegment}`
      : jsonSegment,
    awsPath: at.awsPath ? `${at.awsPath}.${awsSegment}` : awsSegment,
    problems: at.problems,
  };
}

function scalar(value: unknown): string | number | boolean | null | undefined {
  return value === null || ["string", "number", "boolean"].includes(typeof value)
    ? (value as string | number | boolean | null)
    : undefined;
}

function constraint(at: ShapeCursor, message: string, value?: unknown): void {
  const v = scalar(value);
  at.problems.push({
    kind: "constraint",
    jsonPath: at.jsonPath,
    awsPath: at.awsPath,
    message,
    ...(v === undefined ? {} : { value: v }),
  });
}

function wrongType(at: ShapeCursor, expected: string, value: unknown): void {
  const got = value === null ? "null" : Array.isArray(value) ? "list" : typeof value;
  at.problems.push({
    kind: "type",
    jsonPath: at.jsonPath,
    awsPath: at.awsPath,
    message: `Expected ${expected} but found ${got}`,
  });
}

function lengthChecks(at: ShapeCursor, length: number, value: unknown, min?: number, max?: number): boolean {
  let good = true;
  if (max !== undefined && length > max) {
    constraint(at, `Member must have length less than or equal to ${max}`, value);
    good = false;
  }
  if (min !== undefined && length < min) {
    constraint(at, `Member must have length greater than or equal to ${min}`, value);
    good = false;
  }
  return good;
}

export interface StringRules {
  min?: number;
  max?: number;
  /** Checked against the whole value; the source text is what AWS prints. */
  pattern?: string;
  enum?: readonly string[];
}

export function string<const E extends string = string>(
  rules: StringRules & { enum?: readonly E[] } = {},
): Shape<string extends E ? string : E> {
  const regex = rules.pattern === undefined ? undefined : new RegExp(`^(?:${rules.pattern})$`, "su");
  return {
    optional: false,
    typeName: "string",
    read(value, at) {
      if (typeof value !== "string") {
        wrongType(at, "a string", value);
        return undefined;
      }
      let good = lengthChecks(at, [...value].length, value, rules.min, rules.max);
      if (regex && !regex.test(value)) {
        constraint(at, `Member must satisfy regular expression pattern: ${rules.pattern}`, value);
        good = false;
      }
      if (rules.enum && !rules.enum.includes(value)) {
        constraint(at, `Member must satisfy enum value set: [${rules.enum.join(", ")}]`, value);
        good = false;
      }
      return good ? (value as string extends E ? string : E) : undefined;
    },
  };
}

export function int(rules: { min?: number; max?: number } = {}): Shape<number> {
  return {
    optional: false,
    typeName: "integer",
    read(value, at) {
      if (typeof value !== "number" || !Number.isInteger(value)) {
        wrongType(at, "an integer", value);
        return undefined;
      }
      if (rules.min !== undefined && value < rules.min) {
        constraint(at, `Member must have value greater than or equal to ${rules.min}`, value);
        return undefined;
      }
      if (rules.max !== undefined && value > rules.max) {
        constraint(at, `Member must have value less than or equal to ${rules.max}`, value);
        return undefined;
      }
      return value;
    },
  };
}

export function bool(): Shape<boolean> {
  return {
    optional: false,
    typeName: "boolean",
    read(value, at) {
      if (typeof value !== "boolean") {
        wrongType(at, "a boolean", value);
        return undefined;
      }
      return value;
    },
  };
}

/** Epoch seconds as AWS JSON 1.1 sends them; read into milliseconds. */
export function timestamp(): Shape<number> {
  return {
    optional: false,
    typeName: "timestamp",
    read(value, at) {
      if (typeof value !== "number" || !Number.isFinite(value)) {
        wrongType(at, "a timestamp (epoch seconds)", value);
        return undefined;
      }
      return Math.round(value * 1000);
    },
  };
}

export function list<T>(item: Shape<T>, rules: { min?: number; max?: number } = {}): Shape<T[]> {
  return {
    optional: false,
    typeName: "list",
    read(value, at) {
      if (!Array.isArray(value)) {
        wrongType(at, "a list", value);
        return undefined;
      }
      const good = lengthChecks(at, value.length, undefined, rules.min, rules.max);
      const out: T[] = [];
      let allRead = true;
      value.forEach((element, i) => {
        const here = child(at, `[${i}]`, `${i + 1}.member`);
        if (element === null || element === undefined) {
          constraint(here, "Member must not be null", null);
          allRead = false;
          return;
        }
        const read = item.read(element, here);
        if (read === undefined) allRead = false;
        else out.push(read);
      });
      return good && allRead ? out : undefined;
    },
  };
}

export interface MapRules {
  maxEntries?: number;
  minEntries?: number;
  key?: { min?: number; max?: number };
  value?: { min?: number; max?: number };
}

/** A string-to-string map; AWS reports key and value problems on the map itself. */
export function stringMap(rules: MapRules = {}): Shape<Record<string, string>> {
  return {
    optional: false,
    typeName: "map",
    read(value, at) {
      if (typeof value !== "object" || value === null || Array.isArray(value)) {
        wrongType(at, "a map", value);
        return undefined;
      }
      const entries = Object.entries(value);
      let good = lengthChecks(at, entries.length, undefined, rules.minEntries, rules.maxEntries);
      const keyClauses = new Set<string>();
      const valueClauses = new Set<string>();
      for (const [k, v] of entries) {
        if (typeof v !== "string") {
          wrongType(child(at, k, k), "a string", v);
          good = false;
          continue;
        }
        if (rules.key?.max !== undefined && k.length > rules.key.max)
          keyClauses.add(`Member must have length less than or equal to ${rules.key.max}`);
        if (rules.key?.min !== undefined && k.length < rules.key.min)
          keyClauses.add(`Member must have length greater than or equal to ${rules.key.min}`);
        if (rules.value?.max !== undefined && v.length > rules.value.max)
          valueClauses.add(`Member must have length less than or equal to ${rules.value.max}`);
        if (rules.value?.min !== undefined && v.length < rules.value.min)
          valueClauses.add(`Member must have length greater than or equal to ${rules.value.min}`);
      }
      if (keyClauses.size > 0)
        constraint(at, `Map key must satisfy constraint: [${[...keyClauses].join(", ")}]`);
      if (valueClauses.size > 0)
        constraint(at, `Map value must satisfy constraint: [${[...valueClauses].join(", ")}]`);
      return good && keyClauses.size === 0 && valueClauses.size === 0
        ? (Object.fromEntries(entries) as Record<string, string>)
        : undefined;
    },
  };
}

/** Any JSON value, passed through untouched (for documents the shape layer does not own). */
export function anyJson(): Shape<unknown> {
  return { optional: false, typeName: "document", read: (value) => value };
}

export function optional<T>(shape: Shape<T>): Shape<T> & { readonly optional: true } {
  return { ...shape, read: shape.read.bind(shape), optional: true };
}

type Fields = Record<string, Shape<unknown>>;
type RequiredKeys<F extends Fields> = { [K in keyof F]: F[K]["optional"] extends true ? never : K }[keyof F];
type OptionalKeys<F extends Fields> = Exclude<keyof F, RequiredKeys<F>>;
export type StructOf<F extends Fields> = { [K in RequiredKeys<F>]: Infer<F[K]> } & {
  [K in OptionalKeys<F>]?: Infer<F[K]>;
} extends infer O
  ? { [K in keyof O]: O[K] }
  : never;

/**
 * A structure. Missing required members give AWS's "Member must not be null"; `null` counts as
 * missing. Unknown members are reported as `unknown` problems and dropped.
 */
export function struct<F extends Fields>(fields: F): Shape<StructOf<F>> {
  return {
    optional: false,
    typeName: "structure",
    read(value, at) {
      if (typeof value !== "object" || value === null || Array.isArray(value)) {
        wrongType(at, "a structure", value);
        return undefined;
      }
      const input = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      let good = true;
      for (const [name, shape] of Object.entries(fields)) {
        const here = child(at, name, name);
        const raw = input[name];
        if (raw === undefined || raw === null) {
          if (!shape.optional) {
            constraint(here, "Member must not be null", null);
            good = false;
          }
          continue;
        }
        const read = shape.read(raw, here);
        if (read === undefined) good = false;
        else out[name] = read;
      }
      for (const name of Object.keys(input)) {
        if (!(name in fields)) {
          const here = child(at, name, name);
          at.problems.push({
            kind: "unknown",
            jsonPath: here.jsonPath,
            awsPath: here.awsPath,
            message: `Unknown member '${name}' is ignored`,
          });
        }
      }
      return good ? (out as StructOf<F>) : undefined;
    },
  };
}

/** Reads `value` with `shape` from the root named `root` (for example "pipeline" or ""). */
export function readShape<T>(
  shape: Shape<T>,
  value: unknown,
  root = "",
): { value: T | undefined; problems: ShapeProblem[] } {
  const problems: ShapeProblem[] = [];
  const read = shape.read(value, { jsonPath: root, awsPath: root, problems });
  const blocking = problems.some((p) => p.kind !== "unknown");
  return { value: blocking ? undefined : read, problems };
}

/** AWS's clause for one constraint problem: `Value 'x' at 'a.b' failed to satisfy constraint: ...`. */
export function awsConstraintClause(problem: ShapeProblem): string {
  const value =
    problem.value === undefined
      ? ""
      : problem.value === null
        ? " null"
        : ` '${String(problem.value).length > 256 ? `${String(problem.value).slice(0, 256)}...` : String(problem.value)}'`;
  return `Value${value} at '${problem.awsPath}' failed to satisfy constraint: ${problem.message}`;
}

/** AWS's ValidationException message for a list of constraint problems. */
export function awsValidationMessage(problems: readonly ShapeProblem[]): string {
  const clauses = problems.map(awsConstraintClause);
  const count = clauses.length;
  return `${count} validation error${count === 1 ? "" : "s"} detected: ${clauses.join("; ")}`;
}

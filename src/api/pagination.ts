import { apiError } from "./errors.js";

/**
 * Opaque list tokens: base64url of `{kind, after}`. A token is only accepted by the list it came
 * from; anything else is InvalidNextTokenException, as AWS answers forged tokens.
 */
export function encodeNextToken(kind: string, after: string): string {
  return Buffer.from(JSON.stringify({ k: kind, a: after }), "utf8").toString("base64url");
}

export function decodeNextToken(kind: string, token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  try {
    const decoded = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as {
      k?: unknown;
      a?: unknown;
    };
    if (decoded.k === kind && typeof decoded.a === "string") return decoded.a;
  } catch {
    // fall through: a token we cannot read is one we did not issue
  }
  throw apiError(
    "InvalidNextTokenException",
    "The next token is not valid for this request; start the list again without it",
  );
}

/** AWS JSON 1.1 timestamps are epoch seconds (fractions allowed); SDK v3 rejects anything else. */
export function epochSeconds(ms: number): number {
  return ms / 1000;
}

import { ApiError, apiError } from "../errors.js";
import { decodeNextToken, encodeNextToken } from "../pagination.js";

/** CodeCommit's list tokens: pagination.ts's opaque tokens, bound to one list (and its sort). */
export const encodeContinuationToken = encodeNextToken;

/** As decodeNextToken, but CodeCommit calls a token it did not issue InvalidContinuationTokenException. */
export function decodeContinuationToken(kind: string, token: string | undefined): string | undefined {
  try {
    return decodeNextToken(kind, token);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    throw apiError("InvalidContinuationTokenException", "The specified continuation token is not valid.");
  }
}

import { ApiError, apiError } from "../errors.js";
import { decodeNextToken, encodeNextToken } from "../pagination.js";

/** SSM's NextToken: the shared opaque token, answering forged ones with SSM's InvalidNextToken. */
export function decodeSsmToken(kind: string, token: string | undefined): string | undefined {
  try {
    return decodeNextToken(`ssm:${kind}`, token);
  } catch (error) {
    if (error instanceof ApiError) {
      throw apiError(
        "InvalidNextToken",
        "The specified token is not valid; start the list again without it.",
      );
    }
    throw error;
  }
}

export function encodeSsmToken(kind: string, after: string): string {
  return encodeNextToken(`ssm:${kind}`, after);
}

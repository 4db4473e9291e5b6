import { createHash, timingSafeEqual } from "node:crypto";

export interface GitCredential {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/**
 * Who sent a request, by HTTP Basic authentication (RFC 7617) with an access key id as the user
 * name and its secret access key as the password. Undefined when the header is missing,
 * malformed, or names no configured key or the wrong secret. Secrets are compared by digest in
 * constant time, so the comparison tells nothing about how much of a guess was right.
 */
export function authenticateBasic(
  authorization: string | null,
  credentials: readonly GitCredential[],
): string | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/iu.exec(authorization ?? "");
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon <= 0) return undefined;
  const user = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  const credential = credentials.find((c) => c.accessKeyId === user);
  if (!credential) return undefined;
  return timingSafeEqual(digest(password), digest(credential.secretAccessKey)) ? user : undefined;
}

const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();

import { decodeNextToken, encodeNextToken } from "../pagination.js";

/** One page of `items` (ARNs or names, in list order) after the token's item; AWS's page size is 100. */
export function page(
  kind: string,
  items: readonly string[],
  token: string | undefined,
  maxResults: number | undefined,
) {
  const after = decodeNextToken(kind, token);
  const start = after === undefined ? 0 : items.indexOf(after) + 1;
  const size = maxResults ?? 100;
  const slice = items.slice(start, start + size);
  return start + size < items.length
    ? { items: slice, nextToken: encodeNextToken(kind, slice.at(-1)!) }
    : { items: slice };
}

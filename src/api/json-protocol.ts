import { awsValidationMessage, type ShapeProblem } from "../lib/shape.js";
import { type ApiError, apiError, errorCatalogue } from "./errors.js";

/**
 * AWS JSON 1.1 framing: `POST /`, `X-Amz-Target: <Prefix>.<Operation>`, JSON bodies, errors as
 * `{"__type": "...", "message": "..."}` with the `x-amzn-ErrorType` header (botocore reads the
 * body, SDK v3 the body then the header) and `x-amzn-RequestId` on every response.
 */
export const JSON_11 = "application/x-amz-json-1.1";

export function jsonResponse(
  requestId: string,
  body: unknown,
  status = 200,
  jsonVersion: "1.0" | "1.1" = "1.1",
): Response {
  return new Response(JSON.stringify(body ?? {}), {
    status,
    headers: { "content-type": `application/x-amz-json-${jsonVersion}`, "x-amzn-requestid": requestId },
  });
}

export function errorResponse(requestId: string, error: ApiError): Response {
  const body = { __type: error.type, message: error.message, ...(error.details ?? {}) };
  return new Response(JSON.stringify(body), {
    status: errorCatalogue[error.type].status,
    headers: { "content-type": JSON_11, "x-amzn-requestid": requestId, "x-amzn-errortype": error.type },
  });
}

/** Parses a JSON 1.1 body; an empty body is `{}` as AWS treats it. */
export function parseJsonBody(bytes: Uint8Array): Record<string, unknown> {
  const text = new TextDecoder().decode(bytes).trim();
  if (text === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw apiError(
      "SerializationException",
      `The request body is not valid JSON: ${(cause as Error).message}`,
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw apiError("SerializationException", "The request body must be a JSON object");
  }
  return parsed as Record<string, unknown>;
}

/** Turns shape problems into the error AWS would answer with (type problems win). */
export function shapeError(problems: readonly ShapeProblem[]): ApiError | undefined {
  const typeProblem = problems.find((p) => p.kind === "type");
  if (typeProblem) {
    return apiError(
      "SerializationException",
      `${typeProblem.message} at '${typeProblem.jsonPath}'; fix the member's type and retry`,
    );
  }
  const constraints = problems.filter((p) => p.kind === "constraint");
  return constraints.length > 0
    ? apiError("ValidationException", awsValidationMessage(constraints))
    : undefined;
}

/** Reads at most `limit` bytes of a body; larger bodies get RequestEntityTooLargeException. */
export async function readBody(request: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) throw tooLarge(limit);
  if (!request.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

function tooLarge(limit: number): ApiError {
  return apiError(
    "RequestEntityTooLargeException",
    `Request body exceeds the limit of ${limit} bytes; send a smaller request or raise --max-body-bytes`,
  );
}

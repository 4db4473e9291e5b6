import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";

export const BOTOCORE_DATA = "/usr/lib/python3/dist-packages/botocore/data";

interface Member {
  readonly shape: string;
  readonly location?: string;
  readonly locationName?: string;
}
interface ShapeDef {
  readonly type: string;
  readonly required?: readonly string[];
  readonly members?: Record<string, Member>;
}
interface OperationDef {
  readonly name: string;
  readonly http?: { readonly method: string; readonly requestUri: string };
  readonly input?: { readonly shape: string };
}

/** The parts of a botocore service-2.json model the probe reads. */
export interface ServiceModel {
  readonly metadata: {
    readonly protocol: string;
    readonly apiVersion: string;
    readonly targetPrefix?: string;
    readonly jsonVersion?: string;
    readonly signingName?: string;
    readonly endpointPrefix: string;
  };
  readonly operations: Record<string, OperationDef>;
  readonly shapes: Record<string, ShapeDef>;
}

/** botocore's newest model of a service, or undefined when botocore (or that service) is absent. */
export function loadModel(service: string): ServiceModel | undefined {
  const dir = join(BOTOCORE_DATA, service);
  if (!existsSync(dir)) return undefined;
  const version = readdirSync(dir)
    .filter((v) => existsSync(join(dir, v, "service-2.json")))
    .sort()
    .at(-1);
  if (version === undefined) return undefined;
  return JSON.parse(readFileSync(join(dir, version, "service-2.json"), "utf8")) as ServiceModel;
}

/** How the server answered one operation. */
export type Answer = "implemented" | "unsupported" | "unknown";

export interface ProbeResult {
  readonly operation: string;
  readonly answer: Answer;
  readonly status: number;
  readonly code: string | undefined;
}

const UNSUPPORTED = new Set(["UnsupportedOperationException", "UnsupportedOperation", "NotImplemented"]);
const PLACEHOLDER = "pw-ref-probe";

interface ProbeRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** A dummy value for a required header or query member of the given shape. */
function dummy(model: ServiceModel, shapeName: string): string {
  const type = model.shapes[shapeName]?.type;
  if (type === "integer" || type === "long") return "1";
  if (type === "boolean") return "true";
  if (type === "timestamp") return "2026-01-01T00:00:00Z";
  return PLACEHOLDER;
}

/** The smallest request for an operation in the model's protocol (bodies and members left empty). */
export function minimalRequest(model: ServiceModel, op: OperationDef, targetPrefix?: string): ProbeRequest {
  const { protocol, jsonVersion, apiVersion } = model.metadata;
  if (protocol === "json") {
    return {
      method: "POST",
      path: "/",
      query: {},
      headers: {
        "content-type": `application/x-amz-json-${jsonVersion ?? "1.1"}`,
        "x-amz-target": `${targetPrefix ?? model.metadata.targetPrefix}.${op.name}`,
      },
      body: "{}",
    };
  }
  if (protocol === "query") {
    return {
      method: "POST",
      path: "/",
      query: {},
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ Action: op.name, Version: apiVersion }).toString(),
    };
  }
  if (!op.http) throw new Error(`${op.name} has no http binding in the ${protocol} model`);
  const [rawPath, rawQuery = ""] = op.http.requestUri.split("?", 2) as [string, string?];
  const path = rawPath.replace(/\{[^}]+\}/gu, PLACEHOLDER);
  const query: Record<string, string> = {};
  for (const part of rawQuery.split("&").filter((p) => p !== "")) {
    const [k, v = ""] = part.split("=", 2) as [string, string?];
    query[k] = v;
  }
  const headers: Record<string, string> = {};
  const input = op.input ? model.shapes[op.input.shape] : undefined;
  for (const name of input?.required ?? []) {
    const member = input?.members?.[name];
    if (!member?.locationName) continue;
    if (member.location === "querystring") query[member.locationName] = dummy(model, member.shape);
    if (member.location === "header") headers[member.locationName.toLowerCase()] = dummy(model, member.shape);
  }
  const hasBody = op.http.method === "POST" || op.http.method === "PUT";
  const body = hasBody && protocol === "rest-json" ? "{}" : "";
  if (hasBody && protocol === "rest-json") headers["content-type"] = "application/json";
  return { method: op.http.method, path, query, headers, body };
}

/** The error code of an answer in any AWS protocol (JSON `__type`, `x-amzn-ErrorType`, XML `<Code>`). */
export function errorCode(headers: Headers, body: string): string | undefined {
  const header = headers.get("x-amzn-errortype");
  if (header) return header.split(":")[0];
  const xml = /<Code>([^<]+)<\/Code>/u.exec(body);
  if (xml) return xml[1];
  try {
    const json = JSON.parse(body) as { __type?: string; code?: string; Type?: string };
    const type = json.__type ?? json.code;
    return type?.split("#").at(-1);
  } catch {
    return undefined;
  }
}

export function classify(code: string | undefined): Answer {
  if (code !== undefined && UNSUPPORTED.has(code)) return "unsupported";
  if (code === "UnknownOperationException") return "unknown";
  return "implemented";
}

/** Sends a request SigV4-signed for `service` (any keys do on a server started without credentials). */
export async function sendSigned(
  endpoint: string,
  service: string,
  r: ProbeRequest,
): Promise<{ status: number; headers: Headers; body: string }> {
  const url = new URL(endpoint);
  const signed = await new SignatureV4({
    service,
    region: "us-east-1",
    credentials: { accessKeyId: "x", secretAccessKey: "y" },
    sha256: Sha256,
    uriEscapePath: service !== "s3",
  }).sign({
    method: r.method,
    protocol: "http:",
    hostname: url.hostname,
    port: Number(url.port),
    path: r.path,
    query: r.query,
    headers: { ...r.headers, host: url.host, "x-amz-content-sha256": "UNSIGNED-PAYLOAD" },
    body: r.body,
  });
  const query = new URLSearchParams(r.query).toString();
  const response = await fetch(`${endpoint}${r.path}${query ? `?${query}` : ""}`, {
    method: r.method,
    headers: signed.headers as Record<string, string>,
    ...(r.body === "" ? {} : { body: r.body }),
  });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

/**
 * Probes every operation of a model, one at a time, in the model's order, then `extraNames`
 * (operations of a newer model than botocore's, addressable by name in the JSON protocol only).
 */
export async function probeModel(
  endpoint: string,
  model: ServiceModel,
  as: { targetPrefix?: string; signingName?: string } = {},
  extraNames: readonly string[] = [],
): Promise<ProbeResult[]> {
  const signingName = as.signingName ?? model.metadata.signingName ?? model.metadata.endpointPrefix;
  const extra = model.metadata.protocol === "json" ? extraNames.filter((n) => !(n in model.operations)) : [];
  const results: ProbeResult[] = [];
  for (const op of [...Object.values(model.operations), ...extra.map((name) => ({ name }))]) {
    const answer = await sendSigned(endpoint, signingName, minimalRequest(model, op, as.targetPrefix));
    const code = errorCode(answer.headers, answer.body);
    results.push({ operation: op.name, answer: classify(code), status: answer.status, code });
  }
  return results;
}

/**
 * The operations of the AWS SDK for JavaScript v3 client of a service, when it is installed: a
 * newer model than Debian's botocore, read from the client's command files.
 */
export function sdkOperationNames(client: string): string[] {
  const dir = join(import.meta.dirname, "../../node_modules/@aws-sdk", client, "dist-types/commands");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith("Command.d.ts"))
    .map((f) => f.slice(0, -"Command.d.ts".length));
}

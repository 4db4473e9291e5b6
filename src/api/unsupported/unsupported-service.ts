import { apiError } from "../errors.js";
import { errorResponse } from "../json-protocol.js";
import { type AwsService, serviceBySigningName } from "./aws-services.js";

const DOCS = "see docs/compatibility.md for what Pipewright supports";

/** The operation a request names, as far as its protocol says. */
function operationOf(request: Request, url: URL, form: URLSearchParams | undefined): string {
  const target = request.headers.get("x-amz-target");
  if (target) return target.slice(target.lastIndexOf(".") + 1);
  const action = form?.get("Action") ?? url.searchParams.get("Action");
  if (action) return action;
  return `${request.method} ${url.pathname}`;
}

/** A query-protocol request: a form with `Action=` (IAM, STS, CloudFormation, SNS, ...). */
export async function queryForm(request: Request, url: URL): Promise<URLSearchParams | undefined> {
  if (url.searchParams.has("Action")) return url.searchParams;
  const type = request.headers.get("content-type") ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded")) return undefined;
  const form = new URLSearchParams(await request.text());
  return form.has("Action") ? form : undefined;
}

/**
 * The answer to a request for an AWS service Pipewright does not serve: AWS's
 * UnsupportedOperationException (a 400 the CLI and SDKs print), in the protocol the request
 * speaks (AWS JSON, REST-JSON, the query protocol's XML, EC2's XML or REST-XML), naming the
 * service and the operation and pointing at the compatibility page.
 */
export async function unsupportedService(
  request: Request,
  url: URL,
  service:
    | AwsService
    | { readonly signingName: string; readonly title?: string; readonly protocol?: AwsService["protocol"] },
  requestId: string,
): Promise<Response> {
  const known = serviceBySigningName(service.signingName);
  const title = service.title ?? known?.title ?? `the AWS service '${service.signingName}'`;
  const form = await queryForm(request, url);
  const operation = operationOf(request, url, form);
  const message = `Pipewright does not implement ${title} (${operation}) yet; ${DOCS}`;
  const protocol = request.headers.get("x-amz-target")
    ? "json"
    : form
      ? service.protocol === "ec2" || known?.protocol === "ec2"
        ? "ec2"
        : "query"
      : (service.protocol ?? known?.protocol ?? "rest-json");
  return answer(protocol, message, requestId);
}

export function answer(protocol: AwsService["protocol"], message: string, requestId: string): Response {
  const xml = (body: string) =>
    new Response(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`, {
      status: 400,
      headers: { "content-type": "text/xml", "x-amzn-requestid": requestId },
    });
  const text = escapeXml(message);
  switch (protocol) {
    case "query":
      return xml(
        `<ErrorResponse><Error><Type>Sender</Type><Code>UnsupportedOperation</Code><Message>${text}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      );
    case "ec2":
      return xml(
        `<Response><Errors><Error><Code>UnsupportedOperation</Code><Message>${text}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`,
      );
    case "rest-xml":
      return xml(
        `<ErrorResponse><Error><Type>Sender</Type><Code>UnsupportedOperation</Code><Message>${text}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      );
    default:
      return errorResponse(requestId, apiError("UnsupportedOperationException", message));
  }
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/gu, (c) => `&#${c.charCodeAt(0)};`);
}

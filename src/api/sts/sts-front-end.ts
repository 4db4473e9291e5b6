import type { Scope } from "../../store/types.js";
import type { Authenticator, RouteFrontEnd } from "../app.js";
import { readBody } from "../json-protocol.js";
import { answer, queryForm } from "../unsupported/unsupported-service.js";

export interface StsDeps {
  readonly authenticator: Authenticator;
  readonly defaultScope: Scope;
  readonly maxBodyBytes: number;
  readonly now: () => number;
  readonly newRequestId: () => string;
}

const NS = "https://sts.amazonaws.com/doc/2011-06-15/";

/**
 * AWS STS, as much as scripts and SDKs need before anything else: GetCallerIdentity (the
 * query protocol of the AWS CLI, boto3 and SDK v3, and AWS JSON for clients that send
 * `X-Amz-Target: AWSSecurityTokenServiceV20110615.GetCallerIdentity`). It answers who signed
 * the request, in this server's account: `arn:aws:iam::<account>:user/<access key id>` (no IAM
 * users exist here; anonymous requests on a loopback server are `anonymous`). Every other STS
 * operation answers UnsupportedOperation in STS's own XML.
 */
export function createStsFrontEnd(deps: StsDeps): RouteFrontEnd {
  return {
    name: "sts",
    signingName: "sts",
    async handle(request, url) {
      const requestId = deps.newRequestId();
      const target = request.headers.get("x-amz-target");
      const body = await readBody(request.clone(), deps.maxBodyBytes).catch(() => new Uint8Array());
      const auth = deps.authenticator.authenticate(request, url, body, deps.now());
      if (!auth.ok) {
        return target
          ? answer("json", auth.error.message, requestId)
          : xmlError(auth.error.type, auth.error.message, requestId, 403);
      }
      const operation = target
        ? target.slice(target.lastIndexOf(".") + 1)
        : (await queryForm(request, url))?.get("Action");
      const account = deps.defaultScope.accountId;
      const who = {
        Account: account,
        Arn: `arn:aws:iam::${account}:user/${auth.principal}`,
        UserId: auth.principal,
      };
      if (operation === "GetCallerIdentity") {
        if (target) {
          return new Response(JSON.stringify(who), {
            headers: { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": requestId },
          });
        }
        return new Response(
          `<?xml version="1.0" encoding="UTF-8"?>\n<GetCallerIdentityResponse xmlns="${NS}"><GetCallerIdentityResult><Arn>${who.Arn}</Arn><UserId>${who.UserId}</UserId><Account>${who.Account}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
          { headers: { "content-type": "text/xml", "x-amzn-requestid": requestId } },
        );
      }
      const message = `Pipewright does not implement AWS STS (${operation ?? `${request.method} ${url.pathname}`}) yet; only GetCallerIdentity; see docs/compatibility.md for what Pipewright supports`;
      return answer(target ? "json" : "query", message, requestId);
    },
  };
}

function xmlError(code: string, message: string, requestId: string, status: number): Response {
  const text = message.replace(/[<>&'"]/gu, (c) => `&#${c.charCodeAt(0)};`);
  return new Response(
    `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${text}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
    { status, headers: { "content-type": "text/xml", "x-amzn-requestid": requestId } },
  );
}

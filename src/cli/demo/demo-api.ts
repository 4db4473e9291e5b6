import {
  AwsApiError,
  type ClientConfig,
  callJson,
  EndpointUnreachableError,
  type ServiceName,
} from "../../client/aws-json-client.js";
import { signRequest } from "../../client/sigv4-sign.js";

/**
 * The AWS APIs the demo calls, exactly as a user's script would: JSON 1.1 (CodePipeline,
 * CodeBuild, CodeCommit, ECR, ECS) through the CLI's own signed client, and Lambda's REST-JSON
 * API through the same signer. No SDK is loaded (the @aws-sdk clients are devDependencies).
 */
export interface DemoApi {
  readonly endpoint: string;
  readonly region: string;
  call<T = Record<string, unknown>>(service: ServiceName, operation: string, input: object): Promise<T>;
  lambda<T = Record<string, unknown>>(
    method: "GET" | "POST" | "PUT",
    path: string,
    body?: object,
  ): Promise<T>;
}

export function createDemoApi(config: ClientConfig): DemoApi {
  return {
    endpoint: config.endpoint,
    region: config.region,
    call: (service, operation, input) => callJson(config, service, operation, input),
    async lambda(method, path, body) {
      const url = new URL(`${config.endpoint.replace(/\/+$/, "")}${path}`);
      const text = body === undefined ? "" : JSON.stringify(body);
      const headers = signRequest({
        method,
        url,
        headers: { "content-type": "application/json" },
        body: text,
        region: config.region,
        service: "lambda",
        credentials: config.credentials,
        now: config.now(),
      });
      delete headers.host;
      let response: Response;
      try {
        response = await (config.fetch ?? fetch)(url, {
          method,
          headers,
          ...(method === "GET" ? {} : { body: text }),
        });
      } catch (error) {
        throw new EndpointUnreachableError(config.endpoint, error);
      }
      const answer = await response.text();
      const parsed = answer === "" ? {} : (JSON.parse(answer) as Record<string, unknown>);
      if (!response.ok) {
        const type = response.headers.get("x-amzn-errortype")?.split(":")[0] ?? `HTTP${response.status}`;
        throw new AwsApiError(type, String(parsed.message ?? parsed.Message ?? answer), response.status);
      }
      return parsed as never;
    },
  };
}

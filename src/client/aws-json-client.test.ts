import { describe, expect, it } from "vitest";
import {
  AwsApiError,
  type ClientConfig,
  callJson,
  EndpointUnreachableError,
  serviceEndpoint,
} from "./aws-json-client.js";
import { createCodeBuildClient } from "./codebuild-client.js";

function config(
  endpoint: string,
  answer: (url: string, init: RequestInit) => Response | Promise<Response>,
): ClientConfig {
  return {
    endpoint,
    region: "eu-west-1",
    credentials: { accessKeyId: "AKID", secretAccessKey: "s" },
    now: () => Date.UTC(2026, 11, 3),
    fetch: (async (url: URL, init: RequestInit) => answer(String(url), init)) as unknown as typeof fetch,
  };
}

describe("the JSON 1.1 client", () => {
  it("posts the operation signed for the service and region, to AWS's regional endpoint with `aws`", async () => {
    const seen: { url: string; headers: Record<string, string>; body: string }[] = [];
    const c = config("aws", (url, init) => {
      seen.push({ url, headers: init.headers as Record<string, string>, body: String(init.body) });
      return new Response('{"pipelines":[]}', { status: 200 });
    });
    expect(await callJson(c, "codepipeline", "ListPipelines", {}, "ap-south-1")).toEqual({ pipelines: [] });
    expect(seen[0]?.url).toBe("https://codepipeline.ap-south-1.amazonaws.com/");
    expect(seen[0]?.headers["x-amz-target"]).toBe("CodePipeline_20150709.ListPipelines");
    expect(seen[0]?.headers.authorization).toMatch(
      /Credential=AKID\/20261203\/ap-south-1\/codepipeline\/aws4_request/,
    );
    expect(serviceEndpoint({ endpoint: "http://127.0.0.1:4577/" }, "codebuild", "x")).toBe(
      "http://127.0.0.1:4577",
    );
  });

  it("turns AWS's error bodies into the exception name, and no answer into EndpointUnreachableError", async () => {
    const failing = config("http://h", () =>
      Response.json(
        { __type: "com.amazonaws.codepipeline#PipelineNotFoundException", message: "no such pipeline" },
        { status: 400 },
      ),
    );
    const error = await callJson(failing, "codepipeline", "GetPipelineState", { name: "x" }).catch((e) => e);
    expect(error).toBeInstanceOf(AwsApiError);
    expect(error).toMatchObject({
      type: "PipelineNotFoundException",
      message: "no such pipeline",
      status: 400,
    });
    const html = config("http://h", () => new Response("<html>proxy</html>", { status: 502 }));
    expect(await callJson(html, "codebuild", "BatchGetBuilds", {}).catch((e) => e.message)).toContain(
      "answered BatchGetBuilds with HTTP 502 and a body that is not JSON",
    );
    const down = config("http://h", () => {
      throw new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } });
    });
    const unreachable = (await callJson(down, "codebuild", "BatchGetBuilds", {}).catch(
      (e: Error) => e,
    )) as Error;
    expect(unreachable).toBeInstanceOf(EndpointUnreachableError);
    expect(unreachable.message).toBe("cannot reach http://h: ECONNREFUSED");
  });

  it("reads a build's log from Pipewright, and names CloudWatch Logs for a build on AWS", () => {
    const local = createCodeBuildClient(config("http://127.0.0.1:4577", () => new Response("{}")));
    expect(
      local.logSource({
        id: "p:1",
        logs: { deepLink: "http://127.0.0.1:4577/_pipewright/builds/p%3A1/log" },
      }),
    ).toEqual({ kind: "pipewright", url: "http://127.0.0.1:4577/_pipewright/builds/p%3A1/log" });
    const aws = createCodeBuildClient(config("aws", () => new Response("{}")));
    expect(
      aws.logSource({
        id: "p:1",
        logs: {
          deepLink: "https://console.aws.amazon.com/cloudwatch/...",
          groupName: "/aws/codebuild/p",
          streamName: "1",
        },
      }),
    ).toEqual({ kind: "cloudwatch", groupName: "/aws/codebuild/p", streamName: "1" });
  });
});

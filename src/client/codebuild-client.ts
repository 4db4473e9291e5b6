import { AwsApiError, type ClientConfig, callJson, serviceEndpoint } from "./aws-json-client.js";
import { signRequest } from "./sigv4-sign.js";

export interface BuildSummary {
  readonly id: string;
  readonly buildStatus?: string;
  readonly currentPhase?: string;
  readonly logs?: { readonly deepLink?: string; readonly groupName?: string; readonly streamName?: string };
}

/** Where a build's log is read from. */
export type BuildLogSource =
  | { readonly kind: "pipewright"; readonly url: string }
  | { readonly kind: "cloudwatch"; readonly groupName?: string; readonly streamName?: string };

const PIPEWRIGHT_LOG = /\/_pipewright\/builds\/([^/]+)\/log$/;

/** CodeBuild's BatchGetBuilds, and the log of a build served by Pipewright. */
export function createCodeBuildClient(config: ClientConfig) {
  return {
    async getBuild(id: string): Promise<BuildSummary | undefined> {
      const out = await callJson<{ builds?: BuildSummary[] }>(config, "codebuild", "BatchGetBuilds", {
        ids: [id],
      });
      return out.builds?.[0];
    },
    /** A Pipewright server's log endpoint for the build, or where AWS keeps it (CloudWatch Logs). */
    logSource(build: BuildSummary): BuildLogSource {
      const link = build.logs?.deepLink ?? "";
      const match = PIPEWRIGHT_LOG.exec(link.split("?")[0] ?? "");
      if (match && config.endpoint !== "aws") {
        return {
          kind: "pipewright",
          url: `${serviceEndpoint(config, "codebuild", config.region)}/_pipewright/builds/${match[1]}/log`,
        };
      }
      return {
        kind: "cloudwatch",
        ...(build.logs?.groupName ? { groupName: build.logs.groupName } : {}),
        ...(build.logs?.streamName ? { streamName: build.logs.streamName } : {}),
      };
    },
    /**
     * Streams a Pipewright build log line by line (`follow`: until the build ends). The log
     * endpoint takes HTTP Basic with the access key id and secret when the server requires keys.
     */
    async *readLog(url: string, follow: boolean, signal?: AbortSignal): AsyncGenerator<string> {
      const target = new URL(url);
      if (follow) target.searchParams.set("follow", "true");
      const basic = Buffer.from(
        `${config.credentials.accessKeyId}:${config.credentials.secretAccessKey}`,
      ).toString("base64");
      // Signed too, so a front that checks SigV4 on every path would accept it.
      const headers = signRequest({
        method: "GET",
        url: target,
        headers: {},
        body: "",
        region: config.region,
        service: "codebuild",
        credentials: config.credentials,
        now: config.now(),
      });
      delete headers.host;
      headers.authorization = `Basic ${basic}`;
      const response = await (config.fetch ?? fetch)(target, { headers, ...(signal ? { signal } : {}) });
      if (!response.ok || !response.body) {
        const text = (await response.text()).trim();
        throw new AwsApiError(
          response.status === 404 ? "ResourceNotFoundException" : `HTTP${response.status}`,
          text,
          response.status,
        );
      }
      const decoder = new TextDecoder();
      let pending = "";
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        pending += decoder.decode(chunk, { stream: true });
        const lines = pending.split("\n");
        pending = lines.pop() ?? "";
        yield* lines;
      }
      pending += decoder.decode();
      if (pending) yield pending;
    },
  };
}

export type CodeBuildClient = ReturnType<typeof createCodeBuildClient>;

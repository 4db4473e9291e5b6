import { describe, expect, it } from "vitest";
import { createClientContext } from "./client-context.js";
import { UsageError } from "./exit-codes.js";

const files: Record<string, string> = {
  "/home/u/.aws/credentials":
    "[default]\naws_access_key_id=AKIDFILE\naws_secret_access_key=file\n[ci]\naws_access_key_id=AKIDCI\naws_secret_access_key=ci\n",
  "/home/u/.aws/config": "[default]\nregion=eu-west-1\n[profile ci]\nregion=ap-south-1\n",
};
const io = { stdout: () => {}, stderr: () => {}, isTty: false, readFile: () => "" };
const context = (values: Record<string, string>, env: Record<string, string>) =>
  createClientContext(values, io, {
    env: { HOME: "/home/u", ...env },
    now: () => 0,
    sleep: async () => {},
    readFile: (path) => files[path],
  }).config;

describe("which keys and region a client command signs with", () => {
  it("uses the default profile's keys and region when nothing else is set", () => {
    const config = context({}, {});
    expect(config.credentials.accessKeyId).toBe("AKIDFILE");
    expect(config.region).toBe("eu-west-1");
  });

  it("prefers the key variables over AWS_PROFILE, and --profile over both, as the AWS CLI does", () => {
    const env = { AWS_ACCESS_KEY_ID: "AKIDENV", AWS_SECRET_ACCESS_KEY: "env", AWS_PROFILE: "ci" };
    expect(context({}, env).credentials.accessKeyId).toBe("AKIDENV");
    // The region still comes from AWS_PROFILE's section when no variable names one.
    expect(context({}, env).region).toBe("ap-south-1");
    expect(context({ profile: "ci" }, env).credentials).toEqual({
      accessKeyId: "AKIDCI",
      secretAccessKey: "ci",
    });
    expect(context({ profile: "ci", region: "us-west-2" }, { AWS_REGION: "eu-central-1" }).region).toBe(
      "us-west-2",
    );
    expect(context({}, { AWS_DEFAULT_REGION: "eu-north-1" }).region).toBe("eu-north-1");
  });

  it("reads the files the AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE variables name, and refuses an unknown profile", () => {
    const config = context(
      {},
      { AWS_SHARED_CREDENTIALS_FILE: "/nowhere", AWS_CONFIG_FILE: "/nowhere-either" },
    );
    expect(config.credentials.accessKeyId).toBe("pipewright-anonymous");
    expect(config.region).toBe("us-east-1");
    expect(() => context({ profile: "missing" }, {})).toThrow(UsageError);
  });
});

import { describe, expect, it } from "vitest";
import { ProfileError, parseIni, resolveProfile } from "./aws-profile.js";

const credentials = `# keys
[default]
aws_access_key_id = AKIDDEFAULT
aws_secret_access_key = default-secret

[work]
AWS_ACCESS_KEY_ID=AKIDWORK
aws_secret_access_key=work-secret
aws_session_token = token/with=equals
`;
const config = `[default]
region = eu-west-1
s3 =
  max_concurrent_requests = 2

[profile work]
region = ap-south-1

[profile sso]
sso_session = corp
region = us-west-2

[profile only-config]
aws_access_key_id = AKIDCONFIG
aws_secret_access_key = config-secret
`;

describe("the AWS CLI's shared files", () => {
  it("parses sections, case-insensitive keys, values with '=', comments and nested blocks", () => {
    const ini = parseIni(config);
    expect(ini.get("default")).toEqual(
      new Map([
        ["region", "eu-west-1"],
        ["s3", ""],
      ]),
    );
    expect(parseIni(credentials).get("work")?.get("aws_session_token")).toBe("token/with=equals");
    expect(parseIni(credentials).get("work")?.get("aws_access_key_id")).toBe("AKIDWORK");
  });

  it("resolves keys from the credentials file and the region from the config file's `profile name` section", () => {
    expect(resolveProfile({ credentials, config }, undefined)).toEqual({
      accessKeyId: "AKIDDEFAULT",
      secretAccessKey: "default-secret",
      region: "eu-west-1",
    });
    expect(resolveProfile({ credentials, config }, "work")).toEqual({
      accessKeyId: "AKIDWORK",
      secretAccessKey: "work-secret",
      sessionToken: "token/with=equals",
      region: "ap-south-1",
    });
    expect(resolveProfile({ config }, "only-config")).toMatchObject({ accessKeyId: "AKIDCONFIG" });
  });

  it("takes no files as no profile, but names a missing or indirect profile that was asked for", () => {
    expect(resolveProfile({}, undefined)).toEqual({});
    expect(() => resolveProfile({ credentials }, "nope")).toThrow(ProfileError);
    expect(() => resolveProfile({ credentials }, "nope")).toThrow(/'nope' is in neither/u);
    expect(() => resolveProfile({ config }, "sso")).toThrow(
      /sso_session, which pipewright does not resolve/u,
    );
  });
});

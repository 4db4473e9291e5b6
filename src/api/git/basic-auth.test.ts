import { describe, expect, it } from "vitest";
import { authenticateBasic } from "./basic-auth.js";

const keys = [
  { accessKeyId: "AKIDGIT", secretAccessKey: "s3cr3t:with/colon+plus" },
  { accessKeyId: "AKIDOTHER", secretAccessKey: "other" },
];
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`, "utf8").toString("base64")}`;

describe("HTTP Basic authentication with access keys", () => {
  it("names the access key id when its secret is the password", () => {
    expect(authenticateBasic(basic("AKIDGIT", "s3cr3t:with/colon+plus"), keys)).toBe("AKIDGIT");
    expect(authenticateBasic(basic("AKIDOTHER", "other"), keys)).toBe("AKIDOTHER");
    expect(authenticateBasic(basic("AKIDOTHER", "other").replace("Basic", "basic"), keys)).toBe("AKIDOTHER");
  });

  it("refuses a wrong secret, another key's secret, an unknown key and malformed headers", () => {
    for (const header of [
      basic("AKIDGIT", "wrong"),
      basic("AKIDGIT", "other"),
      basic("AKIDNOBODY", "other"),
      basic("", "other"),
      "Basic !!!",
      "Bearer abc",
      `Basic ${Buffer.from("no-colon").toString("base64")}`,
      "",
    ]) {
      expect(authenticateBasic(header, keys), header).toBeUndefined();
    }
    expect(authenticateBasic(null, keys)).toBeUndefined();
  });
});

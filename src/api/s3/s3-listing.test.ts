import { describe, expect, it } from "vitest";
import { createS3TestApi, xmlValues } from "../../../test/support/s3-test-api.js";

async function withKeys(keys: string[]) {
  const api = createS3TestApi();
  await api.send("PUT", "/bkt");
  for (const key of keys)
    await api.send("PUT", `/bkt/${encodeURIComponent(key).replace(/%2F/gu, "/")}`, { body: key });
  return api;
}

describe("S3 front end: listing", () => {
  it("ListObjectsV2 pages with continuation tokens, rolling keys up into CommonPrefixes", async () => {
    const { send } = await withKeys(["a/1", "a/2", "b/x/1", "b/y", "c", "d", "e/1"]);
    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const query = `list-type=2&delimiter=%2F&max-keys=2${token ? `&continuation-token=${encodeURIComponent(token)}` : ""}`;
      const page = (await send("GET", `/bkt?${query}`)).text;
      pages.push([
        ...xmlValues(page, "Key"),
        ...xmlValues(page, "Prefix")
          .slice(1)
          .map((p) => `prefix:${p}`),
      ]);
      expect(xmlValues(page, "KeyCount")).toEqual([String(pages.at(-1)!.length)]);
      token = xmlValues(page, "NextContinuationToken")[0];
      expect(xmlValues(page, "IsTruncated")).toEqual([token ? "true" : "false"]);
    } while (token);
    expect(pages).toEqual([["prefix:a/", "prefix:b/"], ["c", "d"], ["prefix:e/"]]);
  });

  it("ListObjectsV2 with a prefix, start-after and url encoding", async () => {
    const { send } = await withKeys(["b/x/1", "b/x/2", "b/y", "b/z z", "c"]);
    const page = (await send("GET", "/bkt?list-type=2&prefix=b%2F&delimiter=%2F")).text;
    expect(xmlValues(page, "Key")).toEqual(["b/y", "b/z z"]);
    expect(xmlValues(page, "Prefix")).toEqual(["b/", "b/x/"]);
    const after = (await send("GET", "/bkt?list-type=2&prefix=b%2F&start-after=b%2Fx%2F1")).text;
    expect(xmlValues(after, "Key")).toEqual(["b/x/2", "b/y", "b/z z"]);
    const encoded = (await send("GET", "/bkt?list-type=2&prefix=b%2Fz&encoding-type=url")).text;
    expect([xmlValues(encoded, "Key"), xmlValues(encoded, "EncodingType")]).toEqual([["b/z+z"], ["url"]]);
    const none = await send("GET", "/bkt?list-type=2&max-keys=x");
    expect(xmlValues(none.text, "Code")).toEqual(["InvalidArgument"]);
  });

  it("ListObjects (version 1) pages with markers", async () => {
    const { send } = await withKeys(["a/1", "a/2", "b", "c"]);
    const first = (await send("GET", "/bkt?delimiter=%2F&max-keys=2")).text;
    expect([xmlValues(first, "Key"), xmlValues(first, "NextMarker")]).toEqual([["b"], ["b"]]);
    const second = (await send("GET", "/bkt?delimiter=%2F&max-keys=2&marker=a%2F")).text;
    expect([xmlValues(second, "Key"), xmlValues(second, "IsTruncated")]).toEqual([["b", "c"], ["false"]]);
  });

  it("DeleteObjects removes many keys at once", async () => {
    const { send } = await withKeys(["a", "b", "c & d"]);
    const body =
      "<Delete><Object><Key>a</Key></Object><Object><Key>c &amp; d</Key></Object><Object><Key>never</Key></Object></Delete>";
    const answer = (await send("POST", "/bkt?delete", { body })).text;
    expect(xmlValues(answer, "Key")).toEqual(["a", "c &amp; d", "never"]);
    expect(xmlValues((await send("GET", "/bkt?list-type=2")).text, "Key")).toEqual(["b"]);
  });
});

describe("S3 front end: multipart uploads", () => {
  const MB = 1024 * 1024;

  async function start(send: ReturnType<typeof createS3TestApi>["send"], key: string) {
    const created = await send("POST", `/bkt/${key}?uploads`, {
      headers: { "content-type": "text/csv", "x-amz-meta-a": "1" },
    });
    return xmlValues(created.text, "UploadId")[0]!;
  }

  it("joins the parts in order into one object, and forgets the upload", async () => {
    const { send } = await withKeys([]);
    const uploadId = await start(send, "big.csv");
    const part1 = Buffer.alloc(5 * MB, "x");
    const e2 = (
      await send("PUT", `/bkt/big.csv?partNumber=2&uploadId=${uploadId}`, { body: "tail" })
    ).headers.get("etag");
    const e1 = (
      await send("PUT", `/bkt/big.csv?partNumber=1&uploadId=${uploadId}`, { body: part1 })
    ).headers.get("etag");
    const complete = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${e1}</ETag></Part><Part><PartNumber>2</PartNumber><ETag>${e2}</ETag></Part></CompleteMultipartUpload>`;
    const done = await send("POST", `/bkt/big.csv?uploadId=${uploadId}`, { body: complete });
    expect([done.status, xmlValues(done.text, "Key")]).toEqual([200, ["big.csv"]]);
    const got = await send("GET", "/bkt/big.csv");
    expect(got.bytes.length).toBe(5 * MB + 4);
    expect(got.bytes.subarray(-5).toString()).toBe("xtail");
    expect([got.headers.get("content-type"), got.headers.get("x-amz-meta-a")]).toEqual(["text/csv", "1"]);
    const again = await send("POST", `/bkt/big.csv?uploadId=${uploadId}`, { body: complete });
    expect(xmlValues(again.text, "Code")).toEqual(["NoSuchUpload"]);
    expect(xmlValues((await send("GET", "/")).text, "Name")).toEqual(["bkt"]);
  });

  it("refuses a wrong ETag, a small middle part, bad order, and an aborted upload", async () => {
    const { send } = await withKeys([]);
    const uploadId = await start(send, "k");
    const e1 = (await send("PUT", `/bkt/k?partNumber=1&uploadId=${uploadId}`, { body: "small" })).headers.get(
      "etag",
    );
    const e2 = (await send("PUT", `/bkt/k?partNumber=2&uploadId=${uploadId}`, { body: "end" })).headers.get(
      "etag",
    );
    const part = (n: number, etag: string | null) =>
      `<Part><PartNumber>${n}</PartNumber><ETag>${etag}</ETag></Part>`;
    const complete = (...parts: string[]) => ({
      body: `<CompleteMultipartUpload>${parts.join("")}</CompleteMultipartUpload>`,
    });
    const code = async (body: { body: string }) =>
      xmlValues((await send("POST", `/bkt/k?uploadId=${uploadId}`, body)).text, "Code")[0];
    expect(await code(complete(part(1, '"0000"')))).toBe("InvalidPart");
    expect(await code(complete(part(1, e1), part(2, e2)))).toBe("EntityTooSmall");
    expect(await code(complete(part(2, e2), part(1, e1)))).toBe("InvalidPartOrder");
    expect((await send("PUT", `/bkt/k?partNumber=10001&uploadId=${uploadId}`, { body: "x" })).status).toBe(
      400,
    );
    expect((await send("PUT", "/bkt/k?partNumber=1&uploadId=someone-elses", { body: "x" })).status).toBe(404);
    expect((await send("DELETE", `/bkt/k?uploadId=${uploadId}`)).status).toBe(204);
    expect(await code(complete(part(1, e1)))).toBe("NoSuchUpload");
    expect((await send("HEAD", "/bkt/k")).status).toBe(404);
  });
});

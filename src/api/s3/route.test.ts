import { describe, expect, it } from "vitest";
import type { S3Call } from "./operation.js";
import { parseRequestTarget } from "./request-target.js";
import { routeS3 } from "./route.js";

const route = (method: string, target: string, headers: Record<string, string> = {}) =>
  routeS3(method, parseRequestTarget(target, new URL("http://h/")), new Headers(headers)).name;

// Operations newer than Debian's botocore share their path and method with an implemented one
// and differ only by a sub-resource: they must answer NotImplemented, never run the other one
// (PutObjectAnnotation must not overwrite the object, PutBucketAbac must not create a bucket).
describe("routeS3: sub-resources of newer S3 operations", () => {
  it.each([
    ["PUT", "/b/k?annotation", "PutObjectAnnotation"],
    ["GET", "/b/k?annotation&x-id=GetObjectAnnotation", "GetObjectAnnotation"],
    ["DELETE", "/b/k?annotation", "DeleteObjectAnnotation"],
    ["GET", "/b?abac", "GetBucketAbac"],
    ["PUT", "/b?abac", "PutBucketAbac"],
    ["PUT", "/b?metadataAnnotationTable", "PutBucketMetadataAnnotationTable"],
    ["PUT", "/b?metadataInventoryTable", "PutBucketMetadataInventoryTable"],
    ["PUT", "/b?metadataJournalTable", "PutBucketMetadataJournalTable"],
    ["GET", "/?x-id=ListDirectoryBuckets", "ListDirectoryBuckets"],
  ])("%s %s is %s, not implemented", async (method, target, name) => {
    expect(route(method, target)).toBe(name);
    const answer = routeS3(method, parseRequestTarget(target, new URL("http://h/")), new Headers());
    // A refusing handler reads nothing of its call.
    await expect(answer.handle({} as S3Call)).rejects.toMatchObject({ code: "NotImplemented" });
  });

  it("still routes the operations they resemble", () => {
    expect(route("PUT", "/b/k")).toBe("PutObject");
    expect(route("DELETE", "/b/k")).toBe("DeleteObject");
    expect(route("PUT", "/b")).toBe("CreateBucket");
    expect(route("GET", "/")).toBe("ListBuckets");
  });
});

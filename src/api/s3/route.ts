import type { S3Handler, S3Operation } from "./operation.js";
import {
  createBucket,
  deleteBucket,
  getBucketLocation,
  getBucketVersioning,
  headBucket,
  listBuckets,
  putBucketVersioning,
} from "./operations/buckets.js";
import { deleteObjects } from "./operations/delete-objects.js";
import { listObjectsV1, listObjectsV2 } from "./operations/list-objects.js";
import { listObjectVersions } from "./operations/list-versions.js";
import {
  abortMultipartUpload,
  completeMultipartUpload,
  createMultipartUpload,
  uploadPart,
} from "./operations/multipart.js";
import { deleteObject, getObject, putObject } from "./operations/objects.js";
import type { RequestTarget } from "./request-target.js";
import { s3Error } from "./s3-errors.js";

/** Query parameters that select an S3 sub-resource Pipewright does not serve (yet). */
const otherSubresources = [
  "abac",
  "accelerate",
  "acl",
  "analytics",
  "annotation",
  "attributes",
  "cors",
  "encryption",
  "intelligent-tiering",
  "inventory",
  "legal-hold",
  "lifecycle",
  "logging",
  "metadataAnnotationTable",
  "metadataConfiguration",
  "metadataInventoryTable",
  "metadataJournalTable",
  "metadataTable",
  "metrics",
  "notification",
  "object-lock",
  "ownershipControls",
  "policy",
  "policyStatus",
  "publicAccessBlock",
  "renameObject",
  "replication",
  "requestPayment",
  "restore",
  "retention",
  "select",
  "session",
  "tagging",
  "torrent",
  "website",
];

const op = (name: string, handle: S3Handler, changesBucket = false): S3Operation => ({
  name,
  handle,
  changesBucket,
});

/** Answers NotImplemented after authentication, naming the operation the client asked for. */
function notImplemented(name: string): S3Operation {
  return op(name, async () => {
    throw s3Error(
      "NotImplemented",
      `Pipewright does not implement the S3 operation ${name}; see docs/s3.md for what is supported.`,
    );
  });
}

function methodNotAllowed(method: string): S3Operation {
  return op(method, async () => {
    throw s3Error("MethodNotAllowed", undefined, { Method: method });
  });
}

const verbs: Record<string, string> = {
  GET: "Get",
  PUT: "Put",
  DELETE: "Delete",
  HEAD: "Head",
  POST: "Post",
};
const pascal = (name: string) => name.replace(/(^|-)(\w)/gu, (_, __, c: string) => c.toUpperCase());

/**
 * Which operation a path-style request asks for: S3 selects it by method, by whether the path
 * names a bucket or an object, and by sub-resource query parameters (`?versioning`, `?uploads`…).
 */
export function routeS3(method: string, target: RequestTarget, headers: Headers): S3Operation {
  const q = target.query;
  const sub = otherSubresources.find((name) => q.has(name));
  const level = target.bucket === "" ? "service" : target.key === undefined ? "bucket" : "object";
  const unsupported = (kind: "Bucket" | "Object") =>
    notImplemented(`${verbs[method] ?? method}${kind}${pascal(sub!)}`);

  if (level === "service") {
    // Directory buckets (S3 Express) are listed by their own operation, on the same path.
    if (q.get("x-id") === "ListDirectoryBuckets") return notImplemented("ListDirectoryBuckets");
    return method === "GET" ? op("ListBuckets", listBuckets) : methodNotAllowed(method);
  }

  if (level === "bucket") {
    switch (method) {
      case "GET":
        if (q.has("location")) return op("GetBucketLocation", getBucketLocation);
        if (q.has("versioning")) return op("GetBucketVersioning", getBucketVersioning);
        if (q.has("versions")) return op("ListObjectVersions", listObjectVersions);
        if (q.has("uploads")) return notImplemented("ListMultipartUploads");
        if (sub) return unsupported("Bucket");
        return q.get("list-type") === "2"
          ? op("ListObjectsV2", listObjectsV2)
          : op("ListObjects", listObjectsV1);
      case "PUT":
        if (q.has("versioning")) return op("PutBucketVersioning", putBucketVersioning, true);
        return sub ? unsupported("Bucket") : op("CreateBucket", createBucket, true);
      case "HEAD":
        return op("HeadBucket", headBucket);
      case "DELETE":
        return sub ? unsupported("Bucket") : op("DeleteBucket", deleteBucket, true);
      case "POST":
        return q.has("delete") ? op("DeleteObjects", deleteObjects) : notImplemented("PostObject");
      default:
        return methodNotAllowed(method);
    }
  }

  switch (method) {
    case "PUT":
      if (headers.has("x-amz-copy-source"))
        return notImplemented(q.has("partNumber") ? "UploadPartCopy" : "CopyObject");
      if (q.has("partNumber") && q.has("uploadId")) return op("UploadPart", uploadPart);
      return sub ? unsupported("Object") : op("PutObject", putObject);
    case "GET":
      if (q.has("uploadId")) return notImplemented("ListParts");
      return sub ? unsupported("Object") : op("GetObject", getObject);
    case "HEAD":
      return op("HeadObject", getObject);
    case "DELETE":
      if (q.has("uploadId")) return op("AbortMultipartUpload", abortMultipartUpload);
      return sub ? unsupported("Object") : op("DeleteObject", deleteObject);
    case "POST":
      if (q.has("uploads")) return op("CreateMultipartUpload", createMultipartUpload);
      if (q.has("uploadId")) return op("CompleteMultipartUpload", completeMultipartUpload);
      return sub ? unsupported("Object") : notImplemented("PostObject");
    default:
      return methodNotAllowed(method);
  }
}

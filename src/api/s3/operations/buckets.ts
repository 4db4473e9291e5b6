import { isValidBucketName } from "../bucket-names.js";
import { requireBucket, type S3Call } from "../operation.js";
import { readSmallBody } from "../request-body.js";
import { emptyResponse, isoTime, xmlResponse } from "../responses.js";
import { s3Error } from "../s3-errors.js";
import { element, optional, textOf } from "../xml.js";

/** S3's Owner element; Pipewright has one owner per account. */
export function owner(call: S3Call) {
  return element("Owner", element("ID", call.scope.accountId), element("DisplayName", "pipewright"));
}

/** GET / — the buckets of the request's account and region (S3 lists every region's; see docs/s3.md). */
export async function listBuckets(call: S3Call): Promise<Response> {
  const allowed = call.principal.buckets;
  const buckets = (await call.deps.objects.listBuckets(call.scope)).filter(
    (b) => allowed === undefined || allowed.includes(b.name),
  );
  return xmlResponse("ListAllMyBucketsResult", [
    owner(call),
    element(
      "Buckets",
      ...buckets.map((b) =>
        element(
          "Bucket",
          element("Name", b.name),
          element("CreationDate", isoTime(b.created)),
          element("BucketRegion", b.scope.region),
        ),
      ),
    ),
  ]);
}

/** PUT /bucket — in the LocationConstraint's region if the body names one, else the request's. */
export async function createBucket(call: S3Call): Promise<Response> {
  const name = call.target.bucket;
  if (!isValidBucketName(name)) throw s3Error("InvalidBucketName", undefined, { BucketName: name });
  const document = await readSmallBody(call.body());
  const location = document.trim() === "" ? undefined : textOf(document, "LocationConstraint")?.trim();
  if (location !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d+$/u.test(location)) {
    throw s3Error(
      "InvalidArgument",
      `'${location}' is not a region Pipewright accepts as a LocationConstraint.`,
      {
        ArgumentName: "LocationConstraint",
        ArgumentValue: location,
      },
    );
  }
  const region = location || call.scope.region;
  const created = await call.deps.objects.createBucket({
    scope: { accountId: call.scope.accountId, region },
    name,
    created: call.now,
  });
  if (!created.ok) {
    const existing = await call.deps.objects.getBucket(name);
    const ours = existing?.scope.accountId === call.scope.accountId;
    throw s3Error(ours ? "BucketAlreadyOwnedByYou" : "BucketAlreadyExists", undefined, { BucketName: name });
  }
  return emptyResponse(200, { location: `/${name}` });
}

export async function headBucket(call: S3Call): Promise<Response> {
  const bucket = await requireBucket(call);
  return emptyResponse(200, { "x-amz-bucket-region": bucket.scope.region });
}

export async function deleteBucket(call: S3Call): Promise<Response> {
  const name = call.target.bucket;
  await requireBucket(call);
  const result = await call.deps.objects.deleteBucket(name);
  if (result === "NotEmpty") throw s3Error("BucketNotEmpty", undefined, { BucketName: name });
  if (result === "NotFound") throw s3Error("NoSuchBucket", undefined, { BucketName: name });
  return emptyResponse(204);
}

/** GET /bucket?location — S3 answers an empty constraint for us-east-1. */
export async function getBucketLocation(call: S3Call): Promise<Response> {
  const region = (await requireBucket(call)).scope.region;
  return new Response(
    `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${region === "us-east-1" ? "" : region}</LocationConstraint>`,
    { headers: { "content-type": "application/xml" } },
  );
}

export async function getBucketVersioning(call: S3Call): Promise<Response> {
  const bucket = await requireBucket(call);
  return xmlResponse("VersioningConfiguration", [optional("Status", bucket.versioning)]);
}

export async function putBucketVersioning(call: S3Call): Promise<Response> {
  await requireBucket(call);
  const status = textOf(await readSmallBody(call.body()), "Status")?.trim();
  if (status !== "Enabled" && status !== "Suspended") {
    throw s3Error("MalformedXML", "VersioningConfiguration needs a Status of Enabled or Suspended.");
  }
  if (!(await call.deps.objects.setVersioning(call.target.bucket, status))) {
    throw s3Error("NoSuchBucket", undefined, { BucketName: call.target.bucket });
  }
  return emptyResponse(200);
}

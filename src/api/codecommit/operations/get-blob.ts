import { optional, string, struct } from "../../../lib/shape.js";
import { apiError } from "../../errors.js";
import { defineOperation } from "../../operation.js";
import type { CodeCommitDeps } from "../deps.js";
import { MAX_FILE_BYTES } from "./files.js";
import { findRepository } from "./repositories.js";

const OBJECT_ID = /^[0-9a-f]{40}$/u;

/** GetBlob: a blob's content by its id (base64 on the wire), up to GetFile's size limit. */
export const getBlob = (deps: CodeCommitDeps) =>
  defineOperation({
    name: "GetBlob",
    input: struct({ repositoryName: optional(string()), blobId: optional(string()) }),
    async handle(input, ctx) {
      const record = await findRepository(deps, ctx, input.repositoryName);
      const blobId = input.blobId;
      if (blobId === undefined || blobId === "") {
        throw apiError("BlobIdRequiredException", "A blob ID is required, but was not specified.");
      }
      if (!OBJECT_ID.test(blobId)) {
        throw apiError(
          "InvalidBlobIdException",
          `The blob ID ${blobId.slice(0, 100)} is not valid: give the 40-character id of a blob (GetFile, GetFolder or GetDifferences name them).`,
        );
      }
      const info = await deps.repositories.objectInfo(record, blobId);
      if (info?.type !== "blob") {
        throw apiError(
          "BlobIdDoesNotExistException",
          `The blob ${blobId} does not exist in repository ${record.name}${info ? ` (it is a ${info.type})` : ""}.`,
        );
      }
      if (info.size > MAX_FILE_BYTES) {
        throw apiError(
          "FileTooLargeException",
          `The blob ${blobId} is ${info.size} bytes; GetBlob returns blobs of at most ${MAX_FILE_BYTES} bytes. Use git to fetch it.`,
        );
      }
      return { content: Buffer.from(await deps.repositories.readBlob(record, blobId)).toString("base64") };
    },
  });

import { list, optional, string } from "../../lib/shape.js";
import { sensitiveBlob, sensitiveString } from "../sensitive.js";

export const secretId = string({ min: 1, max: 2048 });
export const clientRequestToken = optional(string({ min: 32, max: 64 }));
export const versionId = string({ min: 32, max: 64 });
export const versionStage = string({ min: 1, max: 256 });
export const secretString = optional(sensitiveString({ min: 1, max: 65536 }));
export const secretBinary = optional(sensitiveBlob({ min: 1, max: 65536 }));
export const versionStages = list(versionStage, { min: 1, max: 20 });

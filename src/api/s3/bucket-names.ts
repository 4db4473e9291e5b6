/**
 * S3's rules for general purpose bucket names
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html): 3 to 63
 * characters of lower-case letters, digits, dots and hyphens; starting and ending with a letter
 * or digit; no two dots in a row; not an IP address; none of S3's reserved prefixes or suffixes.
 */
export function isValidBucketName(name: string): boolean {
  return (
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/u.test(name) &&
    !name.includes("..") &&
    !/^\d+\.\d+\.\d+\.\d+$/u.test(name) &&
    !/^(xn--|sthree-|amzn-s3-demo-)/u.test(name) &&
    !/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/u.test(name)
  );
}

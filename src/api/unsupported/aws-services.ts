/**
 * AWS services a pipeline's users call that Pipewright does not serve (yet), by the name their
 * requests are signed for and, for AWS JSON services, their X-Amz-Target prefix. Facts from
 * botocore's service models (`metadata.signingName`, `targetPrefix`, `protocol`). A request for
 * one of them gets UnsupportedOperationException in the service's own protocol, naming it.
 */
export interface AwsService {
  /** The SigV4 signing name (the credential scope's service). */
  readonly signingName: string;
  readonly title: string;
  /** AWS JSON services: the X-Amz-Target prefix. */
  readonly targetPrefix?: string;
  /** What the CLI expects when the request itself does not say (query services send a form). */
  readonly protocol: "json" | "rest-json" | "query" | "rest-xml" | "ec2";
}

const s = (
  signingName: string,
  title: string,
  protocol: AwsService["protocol"],
  targetPrefix?: string,
): AwsService => ({ signingName, title, protocol, ...(targetPrefix ? { targetPrefix } : {}) });

export const AWS_SERVICES: readonly AwsService[] = [
  s("acm", "AWS Certificate Manager", "json", "CertificateManager"),
  s("apigateway", "Amazon API Gateway", "rest-json"),
  s("application-autoscaling", "Application Auto Scaling", "json", "AnyScaleFrontendService"),
  s("appconfig", "AWS AppConfig", "rest-json"),
  s("athena", "Amazon Athena", "json", "AmazonAthena"),
  s("autoscaling", "Amazon EC2 Auto Scaling", "query"),
  s("batch", "AWS Batch", "rest-json"),
  s("ce", "AWS Cost Explorer", "json", "AWSInsightsIndexService"),
  s("cloudformation", "AWS CloudFormation", "query"),
  s("cloudfront", "Amazon CloudFront", "rest-xml"),
  s("cloudtrail", "AWS CloudTrail", "json", "CloudTrail_20131101"),
  s("monitoring", "Amazon CloudWatch", "query"),
  s("codeartifact", "AWS CodeArtifact", "rest-json"),
  s("codedeploy", "AWS CodeDeploy", "json", "CodeDeploy_20141006"),
  s("codeguru-reviewer", "Amazon CodeGuru Reviewer", "rest-json"),
  s("codestar-notifications", "AWS CodeStar Notifications", "rest-json"),
  s("cognito-idp", "Amazon Cognito user pools", "json", "AWSCognitoIdentityProviderService"),
  s("config", "AWS Config", "json", "StarlingDoveService"),
  s("dynamodb", "Amazon DynamoDB", "json", "DynamoDB_20120810"),
  s("ec2", "Amazon EC2", "ec2"),
  s("ecr-public", "Amazon ECR Public", "json", "SpencerFrontendService"),
  s("elasticfilesystem", "Amazon EFS", "rest-json"),
  s("eks", "Amazon EKS", "rest-json"),
  s("elasticache", "Amazon ElastiCache", "query"),
  s("elasticloadbalancing", "Elastic Load Balancing", "query"),
  s("elasticmapreduce", "Amazon EMR", "json", "ElasticMapReduce"),
  s("events", "Amazon EventBridge", "json", "AWSEvents"),
  s("firehose", "Amazon Data Firehose", "json", "Firehose_20150804"),
  s("glue", "AWS Glue", "json", "AWSGlue"),
  s("iam", "AWS IAM", "query"),
  s("kinesis", "Amazon Kinesis", "json", "Kinesis_20131202"),
  s("kms", "AWS KMS", "json", "TrentService"),
  s("logs", "Amazon CloudWatch Logs", "json", "Logs_20140328"),
  s("organizations", "AWS Organizations", "json", "AWSOrganizationsV20161128"),
  s("rds", "Amazon RDS", "query"),
  s("redshift", "Amazon Redshift", "query"),
  s("route53", "Amazon Route 53", "rest-xml"),
  s("sagemaker", "Amazon SageMaker", "json", "SageMaker"),
  s("ses", "Amazon SES", "query"),
  s("sns", "Amazon SNS", "query"),
  s("sqs", "Amazon SQS", "query", "AmazonSQS"),
  s("states", "AWS Step Functions", "json", "AWSStepFunctions"),
  s("sts", "AWS STS", "query", "AWSSecurityTokenServiceV20110615"),
  s("servicediscovery", "AWS Cloud Map", "json", "Route53AutoNaming_v20170314"),
  s("wafv2", "AWS WAF", "json", "AWSWAF_20190729"),
  s("xray", "AWS X-Ray", "rest-json"),
  s("scheduler", "Amazon EventBridge Scheduler", "rest-json"),
  s("tagging", "Resource Groups Tagging API", "json", "ResourceGroupsTaggingAPI_20170126"),
];

export function serviceBySigningName(name: string): AwsService | undefined {
  return AWS_SERVICES.find((x) => x.signingName === name);
}

/** By the X-Amz-Target prefix (the part before the operation; a namespace before it is ignored). */
export function serviceByTargetPrefix(prefix: string): AwsService | undefined {
  const last = prefix.slice(prefix.lastIndexOf(".") + 1);
  return AWS_SERVICES.find((x) => x.targetPrefix === last);
}

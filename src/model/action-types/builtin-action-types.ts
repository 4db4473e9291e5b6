import type { ActionCategory, ActionOwner } from "../declaration.js";
import type { ActionTypeSpec } from "./action-type.js";

/**
 * AWS's built-in action types with their configuration properties and artifact bounds
 * (spec codepipeline.md §7.1, and AWS's "Action structure reference" and "Valid input and
 * output artifacts for each action type" pages, checked 2026-12). Conditional requirements
 * (ObjectKey when Extract is false, ...) are validation rules, not `required` flags. Whether
 * Pipewright runs a type is decided where the catalogue is assembled (main/), not here.
 */
interface Def {
  category: ActionCategory;
  provider: string;
  owner?: ActionOwner;
  input: [number, number];
  output: [number, number];
  required: string[];
  optional?: string[];
  secret?: string[];
  /** See ActionTypeSpec.openConfiguration. */
  open?: boolean;
}

const defs: Def[] = [
  {
    category: "Source",
    provider: "CodeCommit",
    input: [0, 0],
    output: [1, 1],
    required: ["RepositoryName", "BranchName"],
    optional: ["PollForSourceChanges", "OutputArtifactFormat"],
  },
  {
    category: "Source",
    provider: "S3",
    input: [0, 0],
    output: [1, 1],
    required: ["S3Bucket", "S3ObjectKey"],
    optional: ["PollForSourceChanges", "AllowOverrideForS3ObjectKey"],
  },
  {
    category: "Source",
    provider: "ECR",
    input: [0, 0],
    output: [1, 1],
    required: ["RepositoryName"],
    optional: ["ImageTag"],
  },
  {
    category: "Source",
    provider: "CodeStarSourceConnection",
    input: [0, 0],
    output: [1, 1],
    required: ["ConnectionArn", "FullRepositoryId", "BranchName"],
    optional: ["OutputArtifactFormat", "DetectChanges"],
  },
  {
    category: "Source",
    provider: "GitHub",
    owner: "ThirdParty",
    input: [0, 0],
    output: [1, 1],
    required: ["Owner", "Repo", "Branch", "OAuthToken"],
    optional: ["PollForSourceChanges"],
    secret: ["OAuthToken"],
  },
  {
    category: "Build",
    provider: "CodeBuild",
    input: [1, 5],
    output: [0, 5],
    required: ["ProjectName"],
    optional: [
      "PrimarySource",
      "EnvironmentVariables",
      "BatchEnabled",
      "CombineArtifacts",
      "BuildspecOverride",
    ],
  },
  {
    category: "Test",
    provider: "CodeBuild",
    input: [1, 5],
    output: [0, 5],
    required: ["ProjectName"],
    optional: [
      "PrimarySource",
      "EnvironmentVariables",
      "BatchEnabled",
      "CombineArtifacts",
      "BuildspecOverride",
    ],
  },
  { category: "Compute", provider: "Commands", input: [1, 10], output: [0, 1], required: [], optional: [] },
  {
    category: "Test",
    provider: "DeviceFarm",
    input: [1, 1],
    output: [0, 0],
    required: ["AppType", "ProjectId", "App", "DevicePoolArn", "TestType"],
    optional: [
      "AppiumVersion",
      "Test",
      "RecordVideo",
      "JobTimeoutMinutes",
      "RadioBluetoothEnabled",
      "RadioGpsEnabled",
      "RadioNfcEnabled",
      "RadioWifiEnabled",
      "FuzzEventCount",
      "FuzzEventThrottle",
      "FuzzRandomizerSeed",
      "CustomHostMachineArtifacts",
      "CustomDeviceArtifacts",
      "UnmeteredDevicesOnly",
      "Locale",
      "Latitude",
      "Longitude",
    ],
  },
  {
    category: "Approval",
    provider: "Manual",
    input: [0, 0],
    output: [0, 0],
    required: [],
    optional: ["NotificationArn", "CustomData", "ExternalEntityLink"],
  },
  {
    category: "Deploy",
    provider: "S3",
    input: [1, 1],
    output: [0, 0],
    required: ["BucketName", "Extract"],
    optional: ["ObjectKey", "KMSEncryptionKeyARN", "CannedACL", "CacheControl"],
  },
  {
    category: "Deploy",
    provider: "CloudFormation",
    input: [0, 10],
    output: [0, 1],
    required: ["ActionMode", "StackName"],
    optional: [
      "Capabilities",
      "ChangeSetName",
      "RoleArn",
      "TemplatePath",
      "TemplateConfiguration",
      "ParameterOverrides",
      "OutputFileName",
    ],
  },
  {
    category: "Deploy",
    provider: "CloudFormationStackSet",
    input: [1, 3],
    output: [0, 0],
    required: ["StackSetName", "TemplatePath"],
    optional: [
      "Description",
      "Parameters",
      "Capabilities",
      "PermissionModel",
      "DeploymentTargets",
      "Regions",
      "FailureTolerancePercentage",
      "MaxConcurrentPercentage",
      "OrganizationsAutoDeployment",
      "AdministrationRoleArn",
      "ExecutionRoleName",
    ],
  },
  {
    category: "Deploy",
    provider: "CloudFormationStackInstances",
    input: [0, 2],
    output: [0, 0],
    required: ["StackSetName", "DeploymentTargets", "Regions"],
    optional: ["ParameterOverrides", "FailureTolerancePercentage", "MaxConcurrentPercentage"],
  },
  {
    category: "Deploy",
    provider: "CodeDeploy",
    input: [1, 1],
    output: [0, 0],
    required: ["ApplicationName", "DeploymentGroupName"],
  },
  {
    category: "Deploy",
    provider: "CodeDeployToECS",
    input: [1, 5],
    output: [0, 0],
    required: [
      "ApplicationName",
      "DeploymentGroupName",
      "TaskDefinitionTemplateArtifact",
      "AppSpecTemplateArtifact",
    ],
    optional: [
      "TaskDefinitionTemplatePath",
      "AppSpecTemplatePath",
      "Image1ArtifactName",
      "Image1ContainerName",
      "Image2ArtifactName",
      "Image2ContainerName",
      "Image3ArtifactName",
      "Image3ContainerName",
      "Image4ArtifactName",
      "Image4ContainerName",
    ],
  },
  {
    category: "Deploy",
    provider: "ECS",
    input: [1, 1],
    output: [0, 0],
    required: ["ClusterName", "ServiceName"],
    optional: ["FileName", "DeploymentTimeout"],
  },
  {
    category: "Deploy",
    provider: "ElasticBeanstalk",
    input: [1, 1],
    output: [0, 0],
    required: ["ApplicationName", "EnvironmentName"],
  },
  {
    category: "Deploy",
    provider: "OpsWorks",
    input: [1, 1],
    output: [0, 0],
    required: ["Stack", "App"],
    optional: ["Layer"],
  },
  {
    category: "Deploy",
    provider: "ServiceCatalog",
    input: [1, 1],
    output: [0, 0],
    required: ["ProductId"],
    optional: [
      "ConfigurationFilePath",
      "TemplateFilePath",
      "ProductVersionName",
      "ProductType",
      "ProductVersionDescription",
    ],
  },
  {
    category: "Deploy",
    provider: "AppConfig",
    input: [1, 1],
    output: [0, 0],
    required: ["Application", "Environment", "ConfigurationProfile", "InputArtifactConfigurationPath"],
    optional: ["DeploymentStrategy"],
  },
  {
    category: "Deploy",
    provider: "AlexaSkillsKit",
    owner: "ThirdParty",
    input: [1, 2],
    output: [0, 0],
    required: ["ClientId", "ClientSecret", "RefreshToken", "SkillId"],
    secret: ["ClientSecret", "RefreshToken"],
  },
  {
    category: "Invoke",
    provider: "Lambda",
    input: [0, 5],
    output: [0, 5],
    required: ["FunctionName"],
    optional: ["UserParameters"],
  },
  {
    category: "Invoke",
    provider: "StepFunctions",
    input: [0, 1],
    output: [0, 1],
    required: ["StateMachineArn"],
    optional: ["ExecutionNamePrefix", "InputType", "Input"],
  },
  {
    category: "Build",
    provider: "ECRBuildAndPublish",
    input: [1, 1],
    output: [0, 0],
    required: ["ECRRepositoryName"],
    optional: ["DockerFilePath", "ImageTags", "RegistryType"],
  },
  {
    // The input is the source to scan; an ECRImageScan needs none. The output is the SBOM.
    category: "Invoke",
    provider: "InspectorScan",
    input: [0, 1],
    output: [1, 1],
    required: ["InspectorRunMode"],
    optional: [
      "ECRRepositoryName",
      "ImageTag",
      "CriticalThreshold",
      "HighThreshold",
      "MediumThreshold",
      "LowThreshold",
    ],
  },
  {
    category: "Invoke",
    provider: "CodePipeline",
    input: [0, 0],
    output: [0, 0],
    required: ["PipelineName"],
    optional: ["SourceRevisions", "Variables"],
  },
  {
    category: "Deploy",
    provider: "EC2",
    input: [1, 1],
    output: [0, 0],
    required: ["InstanceTagKey", "InstanceType"],
    optional: [
      "InstanceTagValue",
      "TargetDirectory",
      "DeploySpec",
      "MaxBatch",
      "MaxError",
      "TargetGroupNameList",
      "PreScript",
      "PostScript",
    ],
  },
  {
    category: "Deploy",
    provider: "EKS",
    input: [1, 1],
    output: [0, 0],
    required: ["ClusterName"],
    optional: [
      "HelmReleaseName",
      "HelmChartLocation",
      "HelmValuesFiles",
      "ManifestFiles",
      "Namespace",
      "SubnetIds",
      "SecurityGroupIds",
    ],
  },
  {
    // Without an input artifact, PublishedTargetVersion names the version to deploy.
    category: "Deploy",
    provider: "Lambda",
    input: [0, 1],
    output: [0, 0],
    required: ["FunctionName"],
    optional: ["FunctionAlias", "PublishedTargetVersion", "DeployStrategy", "Alarms"],
  },
  // Partner test integrations (owner ThirdParty): AWS documents no configuration keys for them.
  ...["BlazeMeter", "GhostInspector"].map(
    (provider): Def => ({
      category: "Test",
      provider,
      owner: "ThirdParty",
      input: [0, 5],
      output: [0, 5],
      required: [],
      open: true,
    }),
  ),
];

export const builtinActionTypes: readonly ActionTypeSpec[] = defs.map((d) => {
  const secret = new Set(d.secret ?? []);
  return {
    id: { category: d.category, owner: d.owner ?? "AWS", provider: d.provider, version: "1" },
    actionConfigurationProperties: [
      ...d.required.map((name) => ({
        name,
        required: true,
        key: true,
        secret: secret.has(name),
        queryable: false,
      })),
      ...(d.optional ?? []).map((name) => ({
        name,
        required: false,
        key: false,
        secret: secret.has(name),
        queryable: false,
      })),
    ],
    inputArtifactDetails: { minimumCount: d.input[0], maximumCount: d.input[1] },
    outputArtifactDetails: { minimumCount: d.output[0], maximumCount: d.output[1] },
    executable: false,
    ...(d.open ? { openConfiguration: true } : {}),
  };
});

// ScaleUp and Cleanup (Invoke/AWS/Lambda): sets an ECS service's desiredCount with UpdateService
// (legacy aws-sdk v2, as the tutorials write it). UserParameters:
// {"cluster": "integration", "service": "web", "desiredCount": 0}
const AWS = require("aws-sdk");

exports.handler = async (event, context) => {
  const job = event["CodePipeline.job"];
  const codepipeline = new AWS.CodePipeline();
  try {
    const params = JSON.parse(job.data.actionConfiguration.configuration.UserParameters);
    const ecs = new AWS.ECS();
    const answer = await ecs
      .updateService({ cluster: params.cluster, service: params.service, desiredCount: params.desiredCount })
      .promise();
    console.log(
      "service " +
        params.cluster +
        "/" +
        params.service +
        " desiredCount is now " +
        answer.service.desiredCount,
    );
    await codepipeline.putJobSuccessResult({ jobId: job.id }).promise();
  } catch (error) {
    await codepipeline
      .putJobFailureResult({
        jobId: job.id,
        failureDetails: {
          message: error.message,
          type: "JobFailed",
          externalExecutionId: context.awsRequestId,
        },
      })
      .promise();
  }
};

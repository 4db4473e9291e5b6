// IntegrationTest (Invoke/AWS/Lambda): requests the application's page through the integration
// service's load balancer and tells CodePipeline whether it shows the release just built.
// Written as the CodePipeline tutorials write it: the legacy aws-sdk v2, callbacks, http.get.
var AWS = require("aws-sdk");
var http = require("node:http");

exports.handler = (event, context) => {
  var job = event["CodePipeline.job"];
  var jobId = job.id;
  var params = JSON.parse(job.data.actionConfiguration.configuration.UserParameters);
  var codepipeline = new AWS.CodePipeline();
  var ecs = new AWS.ECS();

  var putJobSuccess = (message) => {
    codepipeline.putJobSuccessResult({ jobId: jobId }, (err) => {
      context.done(err, message);
    });
  };
  var putJobFailure = (message) => {
    codepipeline.putJobFailureResult(
      {
        jobId: jobId,
        failureDetails: { message: message, type: "JobFailed", externalExecutionId: context.awsRequestId },
      },
      (err) => {
        context.done(err, message);
      },
    );
  };

  // The load balancer's address is Pipewright's `pipewrightEndpoint` member of the service's
  // loadBalancers, which the SDK's model does not know: read it from the raw answer.
  ecs.describeServices({ cluster: params.cluster, services: [params.service] }, function (err, _data) {
    if (err) return putJobFailure(`DescribeServices failed: ${err.message}`);
    var raw = JSON.parse(this.httpResponse.body.toString());
    var lb = raw.services?.[0]?.loadBalancers[0];
    if (!lb?.pipewrightEndpoint) return putJobFailure("the service has no load balancer endpoint");
    var url = `${lb.pipewrightEndpoint}/`;
    var attempts = 0;
    var check = () => {
      attempts++;
      http
        .get(url, (response) => {
          var page = "";
          response.on("data", (chunk) => {
            page += chunk;
          });
          response.on("end", () => {
            if (response.statusCode === 200 && page.indexOf(params.expect) !== -1) {
              console.log(`GET ${url}: 200, shows ${params.expect}`);
              return putJobSuccess(`Tests passed: ${url} shows ${params.expect}`);
            }
            retry(`GET ${url} answered ${response.statusCode} without '${params.expect}'`);
          });
        })
        .on("error", (e) => {
          retry(`GET ${url} failed: ${e.message}`);
        });
    };
    var retry = (why) => {
      console.log(why);
      if (attempts >= 5) return putJobFailure(why);
      setTimeout(check, 500);
    };
    check();
  });
};

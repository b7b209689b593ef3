package dev.pulse.e2e.diagnose;

import dev.pulse.emulators.MotoServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionUrlAuthType;
import software.amazon.awssdk.services.lambda.model.InvokeMode;
import software.amazon.awssdk.services.lambda.model.Runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** SDK clients pointed at a {@link MotoServer}, and a way to create a function with a Function URL there. */
record MotoLambda(LambdaClient lambda, CloudWatchLogsClient logs, URI endpoint) implements AutoCloseable {
    static final Region REGION = Region.US_EAST_1;

    static MotoLambda connect(MotoServer moto) {
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        return new MotoLambda(
                LambdaClient.builder().region(REGION).credentialsProvider(credentials).endpointOverride(moto.endpoint())
                        .httpClient(UrlConnectionHttpClient.create()).build(),
                CloudWatchLogsClient.builder().region(REGION).credentialsProvider(credentials).endpointOverride(moto.endpoint())
                        .httpClient(UrlConnectionHttpClient.create()).build(),
                moto.endpoint());
    }

    /**
     * Creates the execution role moto insists a function has, with one signed IAM query-API call
     * (the SDK's IAM client is not in this build; the signer is).
     */
    String role(String name) {
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
        String answer = query("iam", "Action=CreateRole&Version=2010-05-08&RoleName=" + encode(name)
                + "&AssumeRolePolicyDocument=" + encode(policy));
        Matcher arn = Pattern.compile("<Arn>([^<]+)</Arn>").matcher(answer);
        if (!arn.find()) {
            throw new IllegalStateException("CreateRole in moto: " + answer);
        }
        return arn.group(1);
    }

    /** A CloudWatch alarm on a function's Errors, as Terraform creates them (CloudWatch's query API). */
    void alarm(String name, String function) {
        query("monitoring", "Action=PutMetricAlarm&Version=2010-08-01&AlarmName=" + encode(name)
                + "&Namespace=AWS%2FLambda&MetricName=Errors&Statistic=Sum&Period=300&EvaluationPeriods=1&Threshold=1"
                + "&ComparisonOperator=GreaterThanOrEqualToThreshold&Dimensions.member.1.Name=FunctionName"
                + "&Dimensions.member.1.Value=" + encode(function));
    }

    /** The alarms client diagnose uses, pointed at moto. */
    CloudWatchAlarms alarms() {
        return new CloudWatchAlarms(endpoint, REGION.id(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
    }

    /** One signed query-API call (form POST) to moto; the answer's body, or an exception when it is not a 200. */
    private String query(String service, String body) {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<byte[]> response = QueryApi.post(client, endpoint, service, REGION.id(),
                    AwsCredentialsIdentity.create("test", "test"), body);
            String answer = new String(response.body(), StandardCharsets.UTF_8);
            if (response.statusCode() != 200) {
                throw new IllegalStateException(service + " query in moto: " + response.statusCode() + " " + answer);
            }
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** A java21 function (placeholder code: it is never invoked) with a Function URL; returns the URL. */
    String function(String name, String roleArn, Map<String, String> env, InvokeMode mode) {
        lambda.createFunction(b -> b.functionName(name).role(roleArn).runtime(Runtime.JAVA21).handler("x.Y::handleRequest")
                .code(c -> c.zipFile(SdkBytes.fromByteArray(placeholderZip())))
                .environment(e -> e.variables(env)));
        return lambda.createFunctionUrlConfig(b -> b.functionName(name).authType(FunctionUrlAuthType.NONE).invokeMode(mode))
                .functionUrl();
    }

    /**
     * A java21 function as Terraform makes it with SnapStart: version 1 published with {@code env}, the alias
     * {@code alias} on it, and the Function URL created on the alias; then the unpublished function ($LATEST) given
     * {@code latestEnv}, so that what the URL serves and what $LATEST holds differ. Returns the URL. (moto keeps one URL
     * config per function whatever the qualifier, so the function itself answers for it too: unlike AWS.)
     */
    String functionOnAlias(String name, String roleArn, Map<String, String> env, Map<String, String> latestEnv,
                           InvokeMode mode, String alias) {
        lambda.createFunction(b -> b.functionName(name).role(roleArn).runtime(Runtime.JAVA21).handler("x.Y::handleRequest")
                .code(c -> c.zipFile(SdkBytes.fromByteArray(placeholderZip())))
                .environment(e -> e.variables(env)));
        String version = lambda.publishVersion(b -> b.functionName(name)).version();
        lambda.createAlias(b -> b.functionName(name).name(alias).functionVersion(version));
        String url = lambda.createFunctionUrlConfig(b -> b.functionName(name).qualifier(alias)
                .authType(FunctionUrlAuthType.NONE).invokeMode(mode)).functionUrl();
        lambda.updateFunctionConfiguration(b -> b.functionName(name).environment(e -> e.variables(latestEnv)));
        return url;
    }

    private static byte[] placeholderZip() {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream(); ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("placeholder.txt"));
            zip.write("diagnose reads configuration only".getBytes());
            zip.closeEntry();
            zip.finish();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        lambda.close();
        logs.close();
    }
}

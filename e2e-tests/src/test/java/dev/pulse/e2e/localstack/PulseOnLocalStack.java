package dev.pulse.e2e.localstack;

import dev.pulse.e2e.TerraformOutputs;
import dev.pulse.e2e.Targets;
import org.testcontainers.localstack.LocalStackContainer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionUrlAuthType;
import software.amazon.awssdk.services.lambda.model.InvokeMode;
import software.amazon.awssdk.services.lambda.model.Runtime;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Deploys Pulse into a LocalStack container the way {@code terraform/} deploys it to AWS: the
 * table with its {@code by_tag} index, the SSE zip on managed {@code java21} with
 * {@code AWS_LAMBDA_EXEC_WRAPPER=/var/task/bootstrap} behind a {@code RESPONSE_STREAM} URL, the
 * dashboard jar behind a {@code BUFFERED} URL with {@code SSE_URL}, public URL permissions, and
 * the same env var names. Inside LocalStack the functions reach DynamoDB through the
 * {@code AWS_ENDPOINT_URL} LocalStack gives every Lambda container.
 */
final class PulseOnLocalStack {
    /** LocalStack accepts any role ARN of its account; it does not enforce IAM by default. */
    static final String ROLE = "arn:aws:iam::000000000000:role/pulse-localstack";
    static final String TABLE = "pulse-localstack-items";
    static final String DASHBOARD = "pulse-localstack-dashboard";
    static final String SSE = "pulse-localstack-sse";
    /** Short, so LocalStack's buffered RESPONSE_STREAM returns each stream whole within seconds. */
    static final int MAX_STREAM_SECONDS = 3;

    final LocalStackContainer container;
    final LambdaClient lambda;
    final CloudWatchLogsClient logs;
    final DynamoDbClient dynamo;
    String dashboardUrl;
    String sseUrl;

    PulseOnLocalStack(LocalStackContainer container) {
        this.container = container;
        var credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(container.getAccessKey(), container.getSecretKey()));
        Region region = Region.of(container.getRegion());
        URI endpoint = container.getEndpoint();
        this.lambda = LambdaClient.builder().region(region).credentialsProvider(credentials).endpointOverride(endpoint)
                .httpClient(UrlConnectionHttpClient.create()).build();
        this.logs = CloudWatchLogsClient.builder().region(region).credentialsProvider(credentials).endpointOverride(endpoint)
                .httpClient(UrlConnectionHttpClient.create()).build();
        this.dynamo = DynamoDbClient.builder().region(region).credentialsProvider(credentials).endpointOverride(endpoint)
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    void deploy(Path repo) throws IOException {
        createTable();
        byte[] sseZip = Files.readAllBytes(repo.resolve("sse-handler/target/sse-handler.zip"));
        byte[] dashboardJar = Files.readAllBytes(repo.resolve("dashboard-handler/target/dashboard-handler.jar"));

        lambda.createFunction(b -> b.functionName(SSE).role(ROLE).runtime(Runtime.JAVA21)
                .handler("dev.pulse.sse.SseRuntimeMain::handleRequest").memorySize(512).timeout(60)
                .code(c -> c.zipFile(SdkBytes.fromByteArray(sseZip)))
                .environment(e -> e.variables(Map.of(
                        "AWS_LAMBDA_EXEC_WRAPPER", "/var/task/bootstrap",
                        "PULSE_TABLE", TABLE,
                        "PULSE_VERSION", "localstack",
                        "PULSE_CORS_ALLOWED_ORIGINS", "*",
                        "SSE_HEARTBEAT_INTERVAL_SECONDS", "1",
                        "SSE_MAX_STREAM_SECONDS", Integer.toString(MAX_STREAM_SECONDS),
                        "SSE_POLL_INTERVAL_MS", "200"))));
        sseUrl = functionUrl(SSE, InvokeMode.RESPONSE_STREAM);

        lambda.createFunction(b -> b.functionName(DASHBOARD).role(ROLE).runtime(Runtime.JAVA21)
                .handler("dev.pulse.dashboard.DashboardHandler::handleRequest").memorySize(1024).timeout(30)
                .code(c -> c.zipFile(SdkBytes.fromByteArray(dashboardJar)))
                .environment(e -> e.variables(Map.of(
                        "PULSE_TABLE", TABLE,
                        "SSE_URL", sseUrl,
                        "PULSE_VERSION", "localstack",
                        "PULSE_CORS_ALLOWED_ORIGINS", "*"))));
        dashboardUrl = functionUrl(DASHBOARD, InvokeMode.BUFFERED);

        for (String function : new String[] {SSE, DASHBOARD}) {
            // The first start pulls the java21 runtime image: generous.
            lambda.waiter().waitUntilFunctionActiveV2(b -> b.functionName(function),
                    o -> o.waitTimeout(Duration.ofMinutes(5)));
        }
    }

    private void createTable() {
        dynamo.createTable(b -> b.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("sk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("tag").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType("HASH"), k -> k.attributeName("sk").keyType("RANGE"))
                .globalSecondaryIndexes(g -> g.indexName("by_tag")
                        .keySchema(k -> k.attributeName("tag").keyType("HASH"), k -> k.attributeName("sk").keyType("RANGE"))
                        .projection(p -> p.projectionType(ProjectionType.ALL))));
        dynamo.waiter().waitUntilTableExists(b -> b.tableName(TABLE));
    }

    private String functionUrl(String function, InvokeMode mode) {
        String url = lambda.createFunctionUrlConfig(b -> b.functionName(function).authType(FunctionUrlAuthType.NONE)
                .invokeMode(mode)).functionUrl();
        lambda.addPermission(b -> b.functionName(function).statementId("FunctionUrlPublicAccess")
                .action("lambda:InvokeFunctionUrl").principal("*").functionUrlAuthType(FunctionUrlAuthType.NONE));
        lambda.addPermission(b -> b.functionName(function).statementId("FunctionUrlPublicInvoke")
                .action("lambda:InvokeFunction").principal("*"));
        return url;
    }

    /**
     * The URLs as a client on this host reaches them: LocalStack names a Function URL
     * {@code http://<id>.lambda-url.<region>.localhost.localstack.cloud:4566/}; that host name
     * resolves to 127.0.0.1, so only the port changes to the container's mapped one, and the
     * request keeps the Function URL's host in its {@code Host} header, which LocalStack routes by.
     */
    Targets targets() {
        return Targets.of(fromHost(dashboardUrl), fromHost(sseUrl), "LocalStack " + container.getDockerImageName(),
                "dashboard Function URL", "SSE Function URL");
    }

    String fromHost(String url) {
        URI u = URI.create(url);
        return u.getScheme() + "://" + u.getHost() + ":" + container.getEndpoint().getPort() + u.getRawPath();
    }

    /** The document `terraform output -json` would give for this deployment. */
    TerraformOutputs outputs() {
        return TerraformOutputs.parse("""
                {"dashboard_function_url":{"value":"%s"},"sse_lambda_function_url":{"value":"%s"},
                 "dashboard_function_name":{"value":"%s"},"sse_function_name":{"value":"%s"},
                 "table_name":{"value":"%s"},
                 "dashboard_log_group":{"value":"/aws/lambda/%s"},"sse_log_group":{"value":"/aws/lambda/%s"}}"""
                .formatted(dashboardUrl, sseUrl, DASHBOARD, SSE, TABLE, DASHBOARD, SSE), "LocalStack deployment");
    }

    void close() {
        lambda.close();
        logs.close();
        dynamo.close();
    }
}

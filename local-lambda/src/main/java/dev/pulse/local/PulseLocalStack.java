package dev.pulse.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.core.PulseTable;
import dev.pulse.core.testing.DynamoDbEmulator;
import dev.pulse.core.testing.TestDynamo;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The whole local Pulse stack: the DynamoDB emulator with the table, and both functions from their real
 * artifacts behind Function URLs (dashboard BUFFERED, SSE RESPONSE_STREAM).
 */
final class PulseLocalStack implements AutoCloseable {

    static final String DASHBOARD_NAME = "pulse-local-dashboard";
    static final String SSE_NAME = "pulse-local-sse";

    private final LocalStackConfig config;
    private final Consumer<String> log;
    private final Path workDir;
    /** Null when PULSE_DYNAMODB_ENDPOINT names an endpoint: then the stack starts no emulator. */
    private DynamoDbEmulator dynamo;
    private URI dynamoEndpoint;
    private LocalStack functions;
    private URI dashboardUrl;
    private URI sseUrl;
    private FunctionSpec sseSpec;
    private String corsOrigins;

    private PulseLocalStack(LocalStackConfig config, Consumer<String> log) throws IOException {
        this.config = config;
        this.log = log;
        this.workDir = Files.createTempDirectory("pulse-local-");
    }

    static PulseLocalStack start(LocalStackConfig config, Consumer<String> log) {
        Path dashboardJar = Artifacts.require(config.repoRoot(), Artifacts.DASHBOARD_JAR);
        Path sseZip = Artifacts.require(config.repoRoot(), Artifacts.SSE_ZIP);
        PulseLocalStack stack;
        try {
            stack = new PulseLocalStack(config, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory", e);
        }
        try {
            stack.startAll(dashboardJar, sseZip);
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void startAll(Path dashboardJar, Path sseZip) {
        if (config.dynamoEndpoint() == null) {
            dynamo = DynamoDbEmulator.start(config.dynamoPort());
            dynamoEndpoint = dynamo.endpoint();
        } else {
            dynamoEndpoint = config.dynamoEndpoint();
        }
        try (DynamoDbClient client = tableClient()) {
            PulseTable.create(client, config.table());   // creates it only when it is absent
        }
        log.accept(dynamo != null
                ? "[local] DynamoDB emulator on " + dynamoEndpoint + ", table " + config.table()
                : "[local] DynamoDB at " + dynamoEndpoint + " (PULSE_DYNAMODB_ENDPOINT), table " + config.table());
        String endpoint = dynamoEndpoint.toString();

        functions = new LocalStack(log);
        // Both ports first: without PULSE_CORS_ALLOWED_ORIGINS, CORS allows the dashboard's own origin only.
        LocalStack.UrlSocket sseSocket = functions.listen(config.ssePort());
        LocalStack.UrlSocket dashboardSocket = functions.listen(config.dashboardPort());
        corsOrigins = config.corsOrigins() != null ? config.corsOrigins() : RequestGuard.ownOrigins(dashboardSocket.port());
        Path sseRoot = Artifacts.extract(sseZip, workDir.resolve("sse-task"));
        sseSpec = PulseFunctions.sse(config, sseRoot, endpoint, SSE_NAME, corsOrigins);
        sseUrl = functions.addFunction(sseSpec, sseSocket, corsOrigins);
        Path dashboardRoot = Artifacts.extract(dashboardJar, workDir.resolve("dashboard-task"));
        dashboardUrl = functions.addFunction(PulseFunctions.dashboard(config, dashboardRoot, workDir.resolve("runtime"),
                endpoint, sseUrl.toString(), DASHBOARD_NAME, corsOrigins), dashboardSocket, corsOrigins);
    }

    /** The emulator's dummy credentials, or the caller's when an external endpoint may check them. */
    private DynamoDbClient tableClient() {
        Map<String, String> aws = config.awsVariables();
        if (!aws.containsKey("AWS_ACCESS_KEY_ID") || !aws.containsKey("AWS_SECRET_ACCESS_KEY")) {
            return TestDynamo.client(dynamoEndpoint);
        }
        AwsCredentials credentials = aws.containsKey("AWS_SESSION_TOKEN")
                ? AwsSessionCredentials.create(aws.get("AWS_ACCESS_KEY_ID"), aws.get("AWS_SECRET_ACCESS_KEY"),
                        aws.get("AWS_SESSION_TOKEN"))
                : AwsBasicCredentials.create(aws.get("AWS_ACCESS_KEY_ID"), aws.get("AWS_SECRET_ACCESS_KEY"));
        return DynamoDbClient.builder()
                .endpointOverride(dynamoEndpoint)
                .region(Region.of(aws.getOrDefault("AWS_REGION", "us-east-1")))
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    URI dashboardUrl() {
        return dashboardUrl;
    }

    URI sseUrl() {
        return sseUrl;
    }

    /** The CORS origins both functions (and their URLs) allow: configured, or the dashboard's own. */
    String corsOrigins() {
        return corsOrigins;
    }

    URI dynamoEndpoint() {
        return dynamoEndpoint;
    }

    /** The SSE function as registered, e.g. to register the same artifact behind a second, BUFFERED URL. */
    FunctionSpec sseSpec() {
        return sseSpec;
    }

    LocalStack functions() {
        return functions;
    }

    /**
     * Waits until both URLs answer an HTTP request (GET /health, any status): this also starts one warm
     * environment of each function.
     */
    void awaitAnswering(Duration limit) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (URI url : new URI[] {sseUrl, dashboardUrl}) {
            long deadline = System.nanoTime() + limit.toNanos();
            while (true) {
                try {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(url.resolve("health"))
                            .timeout(limit).GET().build(), HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 502 && response.statusCode() != 429) {
                        break;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(url + " answers " + response.statusCode()
                                + " to GET /health; see the function's log lines above");
                    }
                    sleep(); // a failing function: do not start environments in a tight loop
                } catch (IOException e) {
                    if (System.nanoTime() > deadline) {
                        throw new UncheckedIOException(url + " does not answer", e);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for " + url, e);
                }
                sleep();
            }
        }
    }

    /** The outputs, shaped like `terraform output -json`, written atomically. */
    void writeOutputs(Path file) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        output(root, "dashboard_function_url", dashboardUrl.toString());
        output(root, "sse_lambda_function_url", sseUrl.toString());
        output(root, "dashboard_function_name", DASHBOARD_NAME);
        output(root, "sse_function_name", SSE_NAME);
        output(root, "table_name", config.table());
        output(root, "dynamodb_endpoint", dynamoEndpoint.toString());
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), ".local-outputs", ".json");
            mapper.writerWithDefaultPrettyPrinter().writeValue(temp.toFile(), root);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void output(ObjectNode root, String name, String value) {
        ObjectNode node = root.putObject(name);
        node.put("sensitive", false);
        node.put("type", "string");
        node.put("value", value);
    }

    private static void sleep() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        if (functions != null) {
            functions.close();
        }
        if (dynamo != null) {
            dynamo.close();
        }
        try (Stream<Path> files = Files.walk(workDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}

package dev.pulse.e2e.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.e2e.RepoRoot;
import dev.pulse.e2e.client.ClientAuth;
import dev.pulse.e2e.client.FunctionTarget;
import dev.pulse.e2e.client.PulseClient;
import dev.pulse.e2e.client.Request;
import dev.pulse.e2e.diagnose.Diagnose;
import dev.pulse.e2e.diagnose.DiagnoseReport;
import dev.pulse.e2e.it.Api;
import dev.pulse.e2e.sse.Received;
import dev.pulse.e2e.sse.SseConnection;
import dev.pulse.testing.SseFrame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.services.lambda.model.InvokeMode;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The LocalStack tier: both artifacts deployed to LocalStack (Testcontainers) as Terraform deploys
 * them, called through LocalStack's Function URLs with the e2e suite's client and SSE parser.
 *
 * <p>LocalStack runs a {@code RESPONSE_STREAM} URL buffered: the response arrives whole when the
 * function ends it. So the SSE function runs with {@code SSE_MAX_STREAM_SECONDS=3} and the test
 * asserts on the parsed events of that whole response ({@code retry}, {@code metrics},
 * {@code new_item} from a resume, {@code reconnect}); liveness and heartbeat timing are proven by
 * the local e2e tier, whose Function URLs stream as AWS does.
 *
 * <p>Needs a Docker engine; without one the class is skipped (Testcontainers' condition says so).
 * Image: {@code LOCALSTACK_IMAGE} (default {@value #DEFAULT_IMAGE}, the last tag that runs without
 * an auth token); {@code LOCALSTACK_AUTH_TOKEN} is passed on when set.
 */
@Tag("localstack")
@Testcontainers(disabledWithoutDocker = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackDeploymentIT {
    static final String DEFAULT_IMAGE = "localstack/localstack:4.14.0";
    private static final Duration COLD = Duration.ofMinutes(3);

    @Container
    static final LocalStackContainer LOCALSTACK = new LocalStackContainer(
            DockerImageName.parse(env("LOCALSTACK_IMAGE", DEFAULT_IMAGE)).asCompatibleSubstituteFor("localstack/localstack"))
            .withServices("lambda", "dynamodb", "logs", "iam", "sts")
            .withEnv(authToken())
            .withStartupTimeout(Duration.ofMinutes(3));

    private static PulseOnLocalStack pulse;
    private static PulseClient client;

    @BeforeAll
    static void deploy() throws IOException {
        Path repo = RepoRoot.find(System.getenv()).orElseThrow(() -> new IllegalStateException("repository root not found"));
        pulse = new PulseOnLocalStack(LOCALSTACK);
        pulse.deploy(repo);
        client = new PulseClient(pulse.targets(), ClientAuth.NONE);
        System.out.println("[localstack] dashboard " + pulse.dashboardUrl + " -> " + client.targets().dashboardUrl());
        System.out.println("[localstack] sse       " + pulse.sseUrl + " -> " + client.targets().sseUrl());
        // The first invocation of each function starts a java21 runtime container (an image pull).
        HttpResponse<String> health = client.send(Request.get("/health").withTimeout(COLD));
        assertEquals(200, health.statusCode(), () -> "dashboard /health: " + health.body());
    }

    @AfterAll
    static void close() {
        if (pulse != null) {
            pulse.close();
        }
    }

    @Test
    @Order(1)
    void theInvokeModesReadBackThroughTheSdk() {
        assertEquals(InvokeMode.BUFFERED,
                pulse.lambda.getFunctionUrlConfig(b -> b.functionName(PulseOnLocalStack.DASHBOARD)).invokeMode());
        assertEquals(InvokeMode.RESPONSE_STREAM,
                pulse.lambda.getFunctionUrlConfig(b -> b.functionName(PulseOnLocalStack.SSE)).invokeMode());
    }

    @Test
    @Order(2)
    void theDashboardApiWritesReadsAndCounts() {
        JsonNode stored = Api.post(client, "LSAPI", "hello from LocalStack");
        String id = stored.path("id").asText();

        JsonNode items = Api.json(client.get(Api.ITEMS + "?tag=LSAPI"));
        assertEquals(id, items.path("items").path(0).path("id").asText(), items::toString);
        assertEquals("hello from LocalStack", items.path("items").path(0).path("text").asText(), items::toString);

        JsonNode metrics = Api.json(client.get("/api/v2/metrics"));
        assertTrue(metrics.path("total").asLong() >= 1, metrics::toString);
        assertEquals(1, metrics.path("by_tag").path("LSAPI").asLong(), metrics::toString);
    }

    @Test
    @Order(3)
    void theSseFunctionAnswersWithRetryMetricsNewItemAndReconnect() {
        String before = Api.post(client, "LSSSE", "before").path("id").asText();
        String missed = Api.post(client, "LSSSE", "missed").path("id").asText();

        try (SseConnection stream = SseConnection.open(client, Api.STREAM + "?tags=LSSSE", before, COLD)) {
            assertEquals(200, stream.status());
            assertTrue(stream.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"),
                    () -> "content-type " + stream.headers().map());
            List<Received> frames = stream.readUntil(r -> r.event("reconnect") != null,
                    Duration.ofSeconds(PulseOnLocalStack.MAX_STREAM_SECONDS + 60));

            assertInstanceOf(SseFrame.Retry.class, frames.get(0).frame(), () -> "first frame: " + frames);
            assertTrue(frames.stream().anyMatch(r -> r.event("metrics") != null), () -> "a metrics event: " + frames);
            List<String> newItems = frames.stream().map(r -> Api.data(r, "new_item")).filter(d -> d != null)
                    .map(d -> d.path("id").asText()).toList();
            assertEquals(List.of(missed), newItems, "resume from Last-Event-ID sends exactly the missed item");
            SseFrame.Event reconnect = frames.get(frames.size() - 1).event("reconnect");
            assertNotNull(reconnect, () -> "the stream ends with reconnect: " + frames);
            assertEquals(missed, Api.json(reconnect.data()).path("last_event_id").asText(), reconnect::toString);
        }
        assertTrue(client.requests().stream().filter(r -> r.path().startsWith(Api.STREAM))
                .allMatch(r -> r.uri().toString().startsWith(client.targets().sseUrl().toString())),
                "every stream request went to the SSE Function URL");
    }

    @Test
    @Order(4)
    void aStreamPathOnTheDashboardUrlIsRefusedWith421() {
        HttpResponse<String> r = client.send(Request.get(Api.STREAM).to(FunctionTarget.DASHBOARD));
        JsonNode body = Api.assertError(r, 421, "misdirected_stream_request");
        assertEquals(pulse.sseUrl.replaceAll("/+$", ""), body.path("sse_url").asText().replaceAll("/+$", ""), body::toString);
    }

    @Test
    @Order(5)
    void diagnoseWorksAgainstLocalStacksLambdaAndLogsApis() {
        DiagnoseReport report = new Diagnose(pulse.lambda, pulse.logs).run(pulse.outputs());
        System.out.println(report.render());
        assertTrue(report.ok(), report::render);
        assertEquals(List.of(), report.logs().problems(), () -> "both log groups readable: " + report.render());
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    private static Map<String, String> authToken() {
        String token = System.getenv("LOCALSTACK_AUTH_TOKEN");
        return token == null || token.isBlank() ? Map.of() : Map.of("LOCALSTACK_AUTH_TOKEN", token.trim());
    }
}

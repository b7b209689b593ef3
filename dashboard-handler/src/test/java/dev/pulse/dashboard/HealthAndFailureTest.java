package dev.pulse.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.core.BatchIngest;
import dev.pulse.core.Deadline;
import dev.pulse.core.DynamoItemStore;
import dev.pulse.core.IdempotencyKey;
import dev.pulse.core.Ingest;
import dev.pulse.core.Item;
import dev.pulse.core.ItemPage;
import dev.pulse.core.ItemStore;
import dev.pulse.core.Metrics;
import dev.pulse.core.NewItem;
import dev.pulse.lambda.http.FunctionUrlEvent;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When the table cannot be reached or set up: 503 JSON, never a stack trace; and the 500 safety net. */
class HealthAndFailureTest {

    /** A DynamoDB endpoint on loopback where nothing listens: every call is refused at once. */
    private static DynamoItemStore unreachableStore() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        DynamoDbClient client = DynamoDbClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                // DynamoDB's default policy retries 8 times with backoff; one refused attempt proves the point.
                .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry()))
                .build();
        return new DynamoItemStore(client, "pulse-gone");
    }

    @Test
    void anUnreachableTableIs503Everywhere() throws IOException {
        LogLines log = new LogLines();
        DashboardHandler handler = new DashboardHandler(unreachableStore(), DashboardConfig.fromEnvironment(Map.of()),
                log.telemetry());
        Reply health = Reply.call(handler, FunctionUrlEvent.get("/health"));
        assertEquals(503, health.status());
        JsonNode body = health.json();
        assertEquals("unavailable", body.path("status").asText());
        assertEquals("store_unavailable", body.path("error").asText());
        assertEquals("pulse-gone", body.path("table").asText());
        // The public answer is generic; the SDK's text (endpoint, account, role...) goes to the log only.
        assertEquals(dev.pulse.core.Health.UNAVAILABLE_MESSAGE, body.path("message").asText());
        assertFalse(health.body().contains("127.0.0.1"), "no endpoint in the public body: " + health.body());
        JsonNode healthLine = log.request(health.context().getAwsRequestId());
        assertEquals("ERROR", healthLine.path("level").asText());
        assertTrue(healthLine.path("error").asText().contains("health: 503")
                && healthLine.path("error").asText().contains("pulse-gone"), () -> "the reason is logged: " + healthLine);

        Reply.call(handler, FunctionUrlEvent.get("/api/v2/metrics")).assertError(503, "store_unavailable");
        Reply.call(handler, FunctionUrlEvent.get("/api/v2/items")).assertError(503, "store_unavailable");
        Reply post = Reply.call(handler, FunctionUrlEvent.post("/api/v2/items",
                "{\"tag\":\"A\",\"label\":\"neutral\",\"score\":0.5,\"text\":\"t\"}"));
        assertEquals(dev.pulse.core.Health.UNAVAILABLE_MESSAGE, post.assertError(503, "store_unavailable").path("message").asText(),
                "a route's 503 says what /health says, nothing of the cause");
        assertEquals("2", post.header("Retry-After"));
        assertFalse(post.body().contains("Exception"), "no internals in the body");
        JsonNode postLine = log.request(post.context().getAwsRequestId());
        assertEquals(503, postLine.path("status").asInt());
        assertTrue(postLine.path("error").asText().startsWith("store unavailable"), () -> "the cause is logged: " + postLine);

        // What does not need the table still works.
        assertEquals(200, Reply.call(handler, FunctionUrlEvent.get("/api/v2/runtime")).status());
        assertEquals(200, Reply.call(handler, FunctionUrlEvent.get("/")).status());
    }

    @Test
    void aStoreThatCannotBeSetUpIs503WithTheReason() {
        LogLines log = new LogLines();
        DashboardHandler handler = new DashboardHandler(Map.of("PULSE_VERSION", "9"), log.telemetry());   // no PULSE_TABLE
        Reply reply = Reply.call(handler, FunctionUrlEvent.get("/health"));
        JsonNode health = reply.assertError(503, "store_unavailable");
        assertEquals("unavailable", health.path("status").asText());
        assertEquals(dev.pulse.core.Health.UNAVAILABLE_MESSAGE, health.path("message").asText());
        assertTrue(log.request(reply.context().getAwsRequestId()).path("error").asText().contains("PULSE_TABLE"),
                () -> "the reason is logged: " + log.lines);
        assertTrue(health.path("table").isNull());
        assertEquals("9", health.path("version").asText());
        Reply.call(handler, FunctionUrlEvent.get("/api/v2/metrics")).assertError(503, "store_unavailable");
        assertEquals(200, Reply.call(handler, FunctionUrlEvent.get("/api/v2/runtime")).status());
        assertEquals(200, Reply.call(handler, FunctionUrlEvent.get("/")).status());
    }

    /** A store with a bug (not a store outage): the handler's last line of defence. */
    private static final class BrokenStore implements ItemStore {
        @Override
        public Ingest put(NewItem item, IdempotencyKey key, Deadline deadline) {
            throw new IllegalStateException("bug: secret internals");
        }

        @Override
        public BatchIngest putAll(List<NewItem> items, IdempotencyKey key, Deadline deadline) {
            throw new IllegalStateException("bug: secret internals");
        }

        @Override
        public long lastSequence() {
            throw new IllegalStateException("bug: secret internals");
        }

        @Override
        public Optional<Item> get(String id) {
            throw new IllegalStateException("bug: secret internals");
        }

        @Override
        public Metrics metrics() {
            throw new NullPointerException("bug: secret internals");
        }

        @Override
        public ItemPage newest(int limit, String tag, String before) {
            throw new IllegalStateException("bug: secret internals");
        }

        @Override
        public List<Item> range(long after, long upTo) {
            throw new IllegalStateException("bug: secret internals");
        }

        @Override
        public void ping() {
            throw new IllegalStateException("bug: secret internals");
        }

        @Override
        public String tableName() {
            return "broken";
        }
    }

    @Test
    void anUnexpectedExceptionIsAGeneric500LoggedWithTheRequestId() {
        LogLines lines = new LogLines();
        DashboardHandler handler = new DashboardHandler(new BrokenStore(),
                DashboardConfig.fromEnvironment(Map.of("PULSE_CORS_ALLOWED_ORIGINS", "*")), lines.telemetry());
        Reply reply = Reply.call(handler, FunctionUrlEvent.get("/api/v2/metrics"));
        JsonNode body = reply.assertError(500, "internal_error");
        String requestId = reply.context().getAwsRequestId();
        assertTrue(body.path("message").asText().contains(requestId), body::toString);
        assertFalse(reply.body().contains("secret") || reply.body().contains("at dev.pulse"), "no internals, no trace");
        String log = String.join("\n", reply.context().logged);
        assertTrue(log.contains(requestId) && log.contains("NullPointerException") && log.contains("at dev.pulse"),
                "the Lambda logger has the trace under the request id: " + log);
        JsonNode line = lines.request(requestId);
        assertEquals("ERROR", line.path("level").asText());
        assertEquals(500, line.path("status").asInt());
        assertEquals("internal_error", line.path("error_code").asText());
        assertTrue(line.path("error").asText().contains("NullPointerException"), line::toString);
    }

    @Test
    void aNullEventIsABadRequest() {
        DashboardHandler handler = new DashboardHandler(new UntouchableStore(), DashboardConfig.fromEnvironment(Map.of()));
        var response = handler.handleRequest(null, new TestContext());
        assertEquals(400, response.getStatusCode());
        assertTrue(response.getBody().contains("\"bad_request\""));
    }
}

package dev.pulse.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.lambda.http.FunctionUrlEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The failure Pulse is designed against: a stream request sent to the buffered dashboard function. It
 * must get 421 at once (never hang, never touch the store) and name the SSE URL.
 */
class MisdirectedStreamTest {

    private static final String SSE = "https://sse0123456789.lambda-url.us-east-1.on.aws/";
    private final DashboardHandler handler = new DashboardHandler(new UntouchableStore(),
            DashboardConfig.fromEnvironment(Map.of("SSE_URL", SSE, "PULSE_API_KEY_SHA256", ApiKey.sha256Hex("k3y"),
                    "PULSE_CORS_ALLOWED_ORIGINS", "https://app.example")));

    private Reply call(FunctionUrlEvent request) {
        // The answer comes back synchronously; the bound only makes a hang fail fast instead of never.
        return assertTimeoutPreemptively(Duration.ofSeconds(5), () -> Reply.call(handler, request));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v2/stream", "/api/v2/stream/", "//api/v2/stream/", "/api/v2//stream",
            "/api/v2/stream?tags=AAPL,MSFT", "/api/v2/stream?lastEventId=0000000000000001",
            "/api/v2/stream/status", "/api/v2/stream/status/", "/api/v2/stream/anything/deeper"})
    void streamPathsAnswer421WithTheSseUrl(String pathAndQuery) {
        Reply reply = call(FunctionUrlEvent.get(pathAndQuery).header("accept", "text/event-stream"));
        JsonNode body = reply.assertError(421, "misdirected_stream_request");
        assertEquals(SSE, body.path("sse_url").asText());
        assertTrue(body.path("stream_url").asText().startsWith(SSE + "api/v2/stream"), body::toString);
        assertTrue(body.path("message").asText().contains("SSE function"), body::toString);
    }

    @Test
    void theStreamUrlKeepsTheSubpathAndTheQuery() {
        JsonNode body = call(FunctionUrlEvent.get("//api/v2/stream/status/")).json();
        assertEquals(SSE + "api/v2/stream/status", body.path("stream_url").asText());
        JsonNode filtered = call(FunctionUrlEvent.get("/api/v2/stream?tags=DEMO,AAPL&lastEventId=0000000000000007")).json();
        assertEquals(SSE + "api/v2/stream?tags=DEMO,AAPL&lastEventId=0000000000000007", filtered.path("stream_url").asText());
        assertTrue(filtered.path("message").asText().endsWith("?tags=DEMO,AAPL&lastEventId=0000000000000007"), filtered::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"})
    void everyMethodIsMisdirected(String method) {
        Reply reply = call(FunctionUrlEvent.request(method, "/api/v2/stream")
                .header("last-event-id", "0000000000000001")
                .header("origin", "https://app.example")
                .header("access-control-request-method", "GET"));
        assertEquals(421, reply.status());
        if (!method.equals("HEAD")) {
            assertEquals("misdirected_stream_request", reply.json().path("error").asText());
        }
    }

    @Test
    void aMisdirectedWriteIsNot401Even() {
        // No key sent, but the routing mistake is the thing to report.
        call(FunctionUrlEvent.post("/api/v2/stream", "{}")).assertError(421, "misdirected_stream_request");
    }

    @Test
    void aBrowserCanReadThe421() {
        Reply reply = call(FunctionUrlEvent.get("/api/v2/stream").header("origin", "https://app.example"));
        assertEquals(421, reply.status());
        assertEquals("https://app.example", reply.header("Access-Control-Allow-Origin"));
        assertEquals("Origin", reply.header("Vary"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v2/streamer", "/api/v2/streams", "/api/v2/stream-status", "/api/v2/stream.json",
            "/api/v2/STREAM", "/api/v1/stream", "/stream"})
    void lookalikesAreNotStreamPaths(String path) {
        call(FunctionUrlEvent.get(path)).assertError(404, "not_found");
    }

    @Test
    void withoutSseUrlThe421StillComesAtOnce() {
        DashboardHandler unconfigured = new DashboardHandler(new UntouchableStore(),
                DashboardConfig.fromEnvironment(Map.of()));
        JsonNode body = Reply.call(unconfigured, FunctionUrlEvent.get("/api/v2/stream"))
                .assertError(421, "misdirected_stream_request");
        assertTrue(body.path("sse_url").isNull());
        assertTrue(body.path("message").asText().contains("SSE_URL"), body::toString);
    }

    @Test
    void whenTheStoreCannotBeSetUpThe421StillComes() {
        DashboardHandler broken = new DashboardHandler(Map.of("SSE_URL", SSE), new LogLines().telemetry());   // no PULSE_TABLE
        Reply reply = Reply.call(broken, FunctionUrlEvent.get("/api/v2/stream"));
        assertEquals(SSE, reply.assertError(421, "misdirected_stream_request").path("sse_url").asText());
    }

    @Test
    void theMisdirectionIsLoggedAndCountedForDiagnosis() {
        LogLines log = new LogLines();
        DashboardHandler handler = new DashboardHandler(new UntouchableStore(),
                DashboardConfig.fromEnvironment(Map.of("SSE_URL", SSE)), log.telemetry());
        Reply reply = Reply.call(handler, FunctionUrlEvent.get("/api/v2/stream/status?tags=AAPL"));
        JsonNode line = log.request(reply.context().getAwsRequestId());
        assertEquals("WARN", line.path("level").asText());
        assertEquals(421, line.path("status").asInt());
        assertEquals("/api/v2/stream/status", line.path("path").asText(), "the path without its query");
        assertEquals("misdirected_stream_request", line.path("error_code").asText());
        assertEquals(1, line.path("MisdirectedStreamRequests").asInt(), "the metric: " + line);
        assertEquals(java.util.List.of(), dev.pulse.testing.EmfDocument.problems(line), line::toString);
    }
}

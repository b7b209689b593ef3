package dev.pulse.core.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.core.Json;
import dev.pulse.core.http.HttpResponse;
import dev.pulse.testing.EmfDocument;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one line per request: its fields, its level, and the 4xx metric by error code. */
class RequestLineTest {

    private final List<String> written = new ArrayList<>();
    private final Telemetry telemetry = new Telemetry("dashboard", "preprod", Level.INFO, written::add, Clock.systemUTC());

    private JsonNode log(int status, String code, String cause) throws Exception {
        written.clear();
        new RequestLine("req-9", "POST", "/api/v2/items", status, code, cause, 12_345_678).log(telemetry, line -> { });
        assertEquals(1, written.size());
        return Json.parse(written.get(0));
    }

    @Test
    void aSuccessIsAnInfoLineWithoutMetrics() throws Exception {
        JsonNode line = log(201, null, null);
        assertEquals("INFO", line.path("level").asText());
        assertEquals("request", line.path("event").asText());
        assertEquals("POST", line.path("method").asText());
        assertEquals("/api/v2/items", line.path("path").asText());
        assertEquals(201, line.path("status").asInt());
        assertEquals(12.3, line.path("duration_ms").asDouble(), "ms to 0.1 ms");
        assertEquals("req-9", line.path("requestId").asText());
        assertEquals("POST /api/v2/items 201", line.path("message").asText());
        assertFalse(line.has("error_code") || line.has("error") || EmfDocument.isEmf(line), line::toString);
    }

    @Test
    void aClientErrorCountsByItsCode() throws Exception {
        JsonNode line = log(422, "validation_failed", null);
        assertEquals("INFO", line.path("level").asText());
        assertEquals(List.of(), EmfDocument.problems(line), line::toString);
        JsonNode directive = line.path("_aws").path("CloudWatchMetrics").get(0);
        assertEquals("[[\"function\",\"environment\",\"error_code\"]]", directive.path("Dimensions").toString());
        assertEquals("ClientErrors", directive.path("Metrics").get(0).path("Name").asText());
        assertEquals("validation_failed", line.path("error_code").asText());
        assertEquals(1, line.path("ClientErrors").asInt());
        assertEquals("WARN", log(421, "misdirected_stream_request", null).path("level").asText(), "a misrouted client");
    }

    @Test
    void aServerErrorIsAnErrorLineWithItsCauseAndNoClientErrorMetric() throws Exception {
        JsonNode line = log(503, "store_unavailable", "store unavailable: connection refused");
        assertEquals("ERROR", line.path("level").asText());
        assertEquals("store unavailable: connection refused", line.path("error").asText());
        assertFalse(EmfDocument.isEmf(line), "5xx are Lambda's and the alarm's business, not ClientErrors");
    }

    @Test
    void theErrorCodeIsReadFromTheAnswerNotItsMessage() {
        assertEquals("invalid_json", HttpResponse.error(400, "invalid_json", "Unrecognized token 'secret text'").errorCode());
        assertNull(HttpResponse.json(200, Json.object().put("error", "not an error")).errorCode());
        assertNull(HttpResponse.empty(404).errorCode());
        assertNull(HttpResponse.text(500, java.util.Map.of(), "plain").errorCode());
        assertTrue(HttpResponse.error(421, "misdirected_stream_request", "m").errorCode().startsWith("misdirected"));
    }
}

package dev.pulse.local;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a person sees of each function line on the local stack's console. */
class ConsoleLineTest {

    private final ConsoleLine plain = new ConsoleLine(false);

    @Test
    void aRequestLineIsStatusMethodPathAndDuration() {
        String line = "{\"timestamp\":\"2026-12-02T10:15:30.123Z\",\"level\":\"WARN\",\"message\":\"GET /api/v2/stream 421\","
                + "\"requestId\":\"13b70321-7893-42ec\",\"function\":\"dashboard\",\"environment\":\"local\",\"event\":\"request\","
                + "\"method\":\"GET\",\"path\":\"/api/v2/stream\",\"status\":421,\"duration_ms\":0.8,"
                + "\"error_code\":\"misdirected_stream_request\",\"_aws\":{},\"ClientErrors\":1}";
        assertEquals("[dashboard] 10:15:30.123 421 GET /api/v2/stream 0.8 ms misdirected_stream_request req 13b70321",
                plain.format("[dashboard]", line));
        String ingest = "{\"timestamp\":\"2026-12-02T10:15:31.000Z\",\"level\":\"INFO\",\"event\":\"request\",\"method\":\"POST\","
                + "\"path\":\"/api/v2/items\",\"status\":201,\"duration_ms\":23.4,\"IngestLatency\":8.1}";
        assertEquals("[dashboard] 10:15:31.000 201 POST /api/v2/items 23.4 ms · ingest 8.1 ms", plain.format("[dashboard]", ingest));
    }

    @Test
    void aStreamIsALineWhenItStartsAndOneWhenItEnds_andItsProgressLinesAreNotShown() {
        String start = "{\"timestamp\":\"2026-12-02T10:15:30.000Z\",\"level\":\"INFO\",\"requestId\":\"058a9b32-8f7f\","
                + "\"event\":\"stream_start\",\"tags\":\"DEMO\",\"start\":\"resume\",\"resumed_from\":\"0000000000000007\","
                + "\"planned_end\":\"max_stream\",\"ends_in_ms\":50000}";
        assertEquals("[sse] 10:15:30.000 stream ▸ resume after 0000000000000007 tags=DEMO, ends in 50.0 s (max_stream) req 058a9b32",
                plain.format("[sse]", start));
        String end = "{\"timestamp\":\"2026-12-02T10:16:20.000Z\",\"level\":\"INFO\",\"requestId\":\"058a9b32-8f7f\","
                + "\"event\":\"stream_end\",\"reason\":\"max_stream\",\"duration_ms\":50012,\"events_sent\":12,\"items_sent\":9,"
                + "\"heartbeats\":1,\"poll_failures\":2,\"last_event_id\":\"0000000000000016\",\"DeliveryLag\":[300,120,900]}";
        assertEquals("[sse] 10:16:20.000 stream ■ max_stream 50.0 s · 12 events · 9 items · 1 heartbeats · lag p50 300 ms"
                + " · 2 poll failures · last 0000000000000016 req 058a9b32", plain.format("[sse]", end));
        assertNull(plain.format("[sse]", "{\"timestamp\":\"2026-12-02T10:16:00.000Z\",\"level\":\"INFO\","
                + "\"event\":\"stream_progress\",\"PollLatency\":[3,4]}"), "metrics only: not shown");
    }

    @Test
    void otherLinesShowTheirLevelAndFirstLine_andTextIsShownAsItIs() {
        String lambdaLogger = "{\"timestamp\":\"2026-12-02T10:15:30.123Z\",\"message\":\"[abc] 500 unexpected failure: "
                + "java.lang.NullPointerException\\n\\tat dev.pulse.X\\n\\tat dev.pulse.Y\",\"level\":\"ERROR\",\"AWSRequestId\":\"abcdef0123\"}";
        assertEquals("[dashboard] 10:15:30.123 ERROR [abc] 500 unexpected failure: java.lang.NullPointerException"
                + " (+2 lines: PULSE_LOG_FORMAT=json or the log file) req abcdef01", plain.format("[dashboard]", lambdaLogger));
        assertEquals("[sse] Picked up JAVA_TOOL_OPTIONS: -Xmx1g", plain.format("[sse]", "Picked up JAVA_TOOL_OPTIONS: -Xmx1g"));
        assertEquals("[sse] {not json", plain.format("[sse]", "{not json"));
    }

    @Test
    void colourOnlyWhenAsked() {
        String line = "{\"timestamp\":\"2026-12-02T10:15:30.123Z\",\"level\":\"ERROR\",\"event\":\"request\",\"method\":\"GET\","
                + "\"path\":\"/health\",\"status\":503,\"duration_ms\":5.0,\"error_code\":\"store_unavailable\"}";
        String coloured = new ConsoleLine(true).format("[sse]", line);
        assertTrue(coloured.contains("\u001b[31m503\u001b[0m"), "a 5xx in red: " + coloured);
        assertFalse(plain.format("[sse]", line).contains("\u001b"));
    }
}

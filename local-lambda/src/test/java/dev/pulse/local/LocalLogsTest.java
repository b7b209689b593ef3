package dev.pulse.local;

import dev.pulse.local.lambda.FunctionSpec;
import dev.pulse.local.lambda.InvokeMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each function's lines in its own file, as written, and on the console compact or (PULSE_LOG_FORMAT=json) raw. */
class LocalLogsTest {

    private static final String REQUEST = "{\"timestamp\":\"2026-12-02T10:15:30.123Z\",\"level\":\"INFO\",\"event\":\"request\","
            + "\"method\":\"GET\",\"path\":\"/health\",\"status\":200,\"duration_ms\":1.5}";

    private static FunctionSpec spec(String key) {
        return new FunctionSpec("pulse-local-" + key, "[" + key + "]", InvokeMode.BUFFERED, 1, Duration.ofSeconds(3),
                Duration.ofSeconds(3), List.of("true"), Path.of("."), Map.of());
    }

    @Test
    void eachFunctionsLinesGoToItsFileAsWrittenAndToTheConsoleCompact(@TempDir Path dir) throws Exception {
        List<String> console = new ArrayList<>();
        try (LocalLogs logs = LocalLogs.open(dir, Map.of(), console::add)) {
            logs.create("dashboard");
            logs.create("sse");
            logs.line(spec("sse"), REQUEST);
            logs.line(spec("sse"), "not json");
            logs.line(spec("dashboard"), REQUEST.replace("/health", "/api/v2/metrics"));
            assertEquals(List.of(REQUEST, "not json"), Files.readAllLines(logs.file("sse")), "as written, while running");
            assertEquals(1, Files.readAllLines(logs.file("dashboard")).size());
        }
        assertEquals(List.of("[sse] 10:15:30.123 200 GET /health 1.5 ms", "[sse] not json",
                "[dashboard] 10:15:30.123 200 GET /api/v2/metrics 1.5 ms"), console);
    }

    @Test
    void pulseLogFormatJsonPrintsTheLinesRaw_andAnotherValueIsRefused(@TempDir Path dir) {
        List<String> console = new ArrayList<>();
        try (LocalLogs logs = LocalLogs.open(dir, Map.of("PULSE_LOG_FORMAT", "JSON"), console::add)) {
            logs.line(spec("sse"), REQUEST);
        }
        assertEquals(List.of(REQUEST), console);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LocalLogs.open(dir, Map.of("PULSE_LOG_FORMAT", "xml"), console::add));
        assertTrue(e.getMessage().contains("PULSE_LOG_FORMAT must be pretty or json"), e::getMessage);
    }

    @Test
    void aNewStackStartsWithEmptyFiles(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("sse.log"), "an earlier run's line\n");
        try (LocalLogs logs = LocalLogs.open(dir, Map.of(), line -> { })) {
            logs.create("sse");
            assertEquals(List.of(), Files.readAllLines(logs.file("sse")));
        }
    }
}

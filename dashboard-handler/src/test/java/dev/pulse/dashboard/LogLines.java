package dev.pulse.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.core.Json;
import dev.pulse.core.telemetry.Level;
import dev.pulse.core.telemetry.Telemetry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The JSON lines a handler writes to stdout in production, kept for assertions. */
final class LogLines implements Consumer<String> {

    final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void accept(String line) {
        lines.add(line);
    }

    Telemetry telemetry() {
        return new Telemetry(DashboardHandler.FUNCTION, "test", Level.INFO, this, Clock.systemUTC());
    }

    List<JsonNode> json() {
        return lines.stream().map(line -> {
            try {
                return Json.parse(line);
            } catch (IOException e) {
                throw new UncheckedIOException("not a JSON line: " + line, e);
            }
        }).toList();
    }

    /** The request line of one invocation. */
    JsonNode request(String requestId) {
        List<JsonNode> found = json().stream().filter(l -> requestId.equals(l.path("requestId").asText())).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one line for " + requestId + ", got " + found.size() + ": " + lines);
        }
        return found.getFirst();
    }
}

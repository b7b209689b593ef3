package dev.pulse.sse.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.core.Deadline;
import dev.pulse.core.Json;
import dev.pulse.core.http.HttpRequest;
import dev.pulse.lambda.runtime.InvalidEventException;

import java.io.IOException;
import java.time.Duration;

/** An invocation's payload read as the Function URL request it carries (core's {@link HttpRequest}). */
public final class Payloads {

    private Payloads() {
    }

    /**
     * @param deadlineEpochMs the invocation's deadline (wall clock), or 0 when it has none
     * @throws InvalidEventException when the payload is not a Function URL event
     */
    public static HttpRequest request(byte[] payload, long deadlineEpochMs) {
        JsonNode event;
        try {
            event = Json.MAPPER.readTree(payload);
        } catch (IOException e) {
            throw new InvalidEventException("the invocation payload is not JSON: " + e.getMessage());
        }
        Deadline deadline = Deadline.in(deadlineEpochMs > 0
                ? Duration.ofMillis(Math.max(0, deadlineEpochMs - System.currentTimeMillis())) : Duration.ofMinutes(15));
        try {
            return HttpRequest.fromEvent(event, deadline);
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException(e.getMessage());
        }
    }
}

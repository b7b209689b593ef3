package dev.pulse.lambda.bench;

import java.util.Map;

/** The buffered hello world that {@link RuntimeBench} runs under the official runtime interface client. */
public final class RicHello {

    public Map<String, Object> handleRequest(Map<String, Object> event) {
        return Map.of("statusCode", 200, "body", "hello");
    }
}

package dev.pulse.sse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.core.Json;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A whole (non-stream) answer: it still goes out through the streaming protocol, as prelude + one body chunk. */
record Response(int status, Map<String, String> headers, byte[] body) {

    Response {
        headers = Map.copyOf(headers);
    }

    static Response json(int status, JsonNode body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Cache-Control", "no-store");
        return new Response(status, headers, Json.write(body).getBytes(StandardCharsets.UTF_8));
    }

    static Response error(int status, String code, String message) {
        return json(status, Json.error(code, message));
    }

    static Response empty(int status) {
        return new Response(status, Map.of(), new byte[0]);
    }

    Response withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new Response(status, copy, body);
    }

    Response withHeaders(Map<String, String> more) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.putAll(more);
        return new Response(status, copy, body);
    }
}

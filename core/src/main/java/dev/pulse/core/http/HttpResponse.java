package dev.pulse.core.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.core.Json;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One whole HTTP answer, before a function turns it into what its Function URL expects (the dashboard: the
 * payload-2.0 response object; the SSE function: a prelude and one body chunk). Immutable; {@code with*}
 * copies.
 */
public record HttpResponse(int status, Map<String, String> headers, byte[] body) {

    public HttpResponse {
        headers = Map.copyOf(headers);
    }

    public static HttpResponse json(int status, JsonNode body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Cache-Control", "no-store");
        return new HttpResponse(status, headers, Json.write(body).getBytes(StandardCharsets.UTF_8));
    }

    /** {@code {"error": code, "message": message}}: the shape of every error either function sends. */
    public static HttpResponse error(int status, String code, String message) {
        return json(status, Json.error(code, message));
    }

    /** An error with more fields than code and message (e.g. {@code fields}, {@code sse_url}). */
    public static HttpResponse error(int status, ObjectNode body) {
        return json(status, body);
    }

    public static HttpResponse empty(int status) {
        return new HttpResponse(status, Map.of(), new byte[0]);
    }

    public static HttpResponse text(int status, Map<String, String> headers, String body) {
        return new HttpResponse(status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The {@code error} code of an error answer ({@code {"error": code, ...}}, what {@link #error} builds), or null:
     * what a request's log line and the 4xx metric name it by, instead of its message, which may quote the input.
     */
    public String errorCode() {
        if (status < 400 || body.length == 0 || body[0] != '{') {
            return null;
        }
        try {
            JsonNode code = Json.parse(bodyText()).path("error");
            return code.isTextual() ? code.asText() : null;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public HttpResponse withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new HttpResponse(status, copy, body);
    }

    public HttpResponse withHeaders(Map<String, String> more) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.putAll(more);
        return new HttpResponse(status, copy, body);
    }
}

package dev.pulse.dashboard;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.core.Json;

import java.util.LinkedHashMap;
import java.util.Map;

/** One HTTP answer before it becomes the Function URL response object. Immutable; {@code with*} copies. */
record Response(int status, Map<String, String> headers, String body) {

    static final String JSON = "application/json";

    Response {
        headers = Map.copyOf(headers);
    }

    static Response json(int status, JsonNode body) {
        return new Response(status, Map.of("Content-Type", JSON, "Cache-Control", "no-store"), Json.write(body));
    }

    /** {@code {"error": code, "message": message}}, the shape of every error (DESIGN §3). */
    static Response error(int status, String code, String message) {
        return json(status, Json.error(code, message));
    }

    static Response error(int status, ObjectNode body) {
        return json(status, body);
    }

    static Response empty(int status) {
        return new Response(status, Map.of(), "");
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

    /** The Function URL response; a HEAD request gets the same status and headers without the body. */
    APIGatewayV2HTTPResponse toEvent(boolean head) {
        Map<String, String> out = new LinkedHashMap<>(headers);
        out.putIfAbsent("X-Content-Type-Options", "nosniff");
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(out)
                .withBody(head ? "" : body)
                .withIsBase64Encoded(false)
                .build();
    }
}

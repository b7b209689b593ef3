package dev.pulse.sse.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.core.Json;
import dev.pulse.lambda.runtime.InvalidEventException;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the SSE function needs from a Function URL event (payload format 2.0), read from the JSON tree so
 * no event library is needed. Header names are lower-case (as Function URLs send them); for a repeated
 * query parameter the first value wins. (The dashboard has its own adapter on purpose: it receives the
 * event as the managed runtime's {@code APIGatewayV2HTTPEvent}, and refuses a repeated parameter with a
 * 400, where a stream request carries only {@code tags} and {@code lastEventId} and takes the first.)
 */
public record HttpRequest(String method, String rawPath, Map<String, String> query, Map<String, String> headers) {

    public HttpRequest {
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
    }

    /** The request in an invocation's payload; an {@link InvalidEventException} when it is not a Function URL event. */
    public static HttpRequest fromEvent(byte[] payload) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(payload);
        } catch (IOException e) {
            throw new InvalidEventException("the invocation payload is not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidEventException("the invocation payload is not a JSON object");
        }
        String method = root.path("requestContext").path("http").path("method").asText("");
        if (method.isEmpty()) {
            throw new InvalidEventException(
                    "not a Function URL event (payload format 2.0): requestContext.http.method is missing");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        root.path("headers").properties()
                .forEach(e -> headers.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().asText()));
        String rawQuery = root.path("rawQueryString").asText("");
        Map<String, String> query = new LinkedHashMap<>();
        if (!rawQuery.isEmpty()) {
            parseQuery(rawQuery, query);
        } else {
            root.path("queryStringParameters").properties()
                    .forEach(e -> query.putIfAbsent(e.getKey(), e.getValue().asText()));
        }
        return new HttpRequest(method.toUpperCase(Locale.ROOT), root.path("rawPath").asText("/"), query, headers);
    }

    private static void parseQuery(String raw, Map<String, String> into) {
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            into.putIfAbsent(name, value);
        }
    }

    /** A broken %-escape is kept as written: the value's own validation then rejects it with a 400. */
    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public String queryParam(String name) {
        return query.get(name);
    }
}

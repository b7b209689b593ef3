package dev.pulse.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.core.Json;
import dev.pulse.core.http.HttpResponse;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A raw query string ({@code a=1&b=x%2Fy}) decoded strictly: a parameter given twice or a broken
 * percent escape is the client's error, answered 400 {@code invalid_query}, never guessed at.
 */
final class QueryString {

    private final Map<String, String> values;

    private QueryString(Map<String, String> values) {
        this.values = values;
    }

    static QueryString parse(String raw) {
        Map<String, String> values = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return new QueryString(values);
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq), pair);
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), pair);
            if (values.putIfAbsent(name, value) != null) {
                throw invalid(name, name + " is given more than once");
            }
        }
        return new QueryString(values);
    }

    private static String decode(String text, String pair) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid(null, "the query parameter '" + pair + "' has a broken percent escape");
        }
    }

    /** {@code {"error":"invalid_query","message":...,"parameter":name}}. */
    static ApiError invalid(String parameter, String message) {
        ObjectNode body = Json.error("invalid_query", message);
        if (parameter != null) {
            body.put("parameter", parameter);
        }
        return new ApiError(HttpResponse.error(400, body));
    }

    /** The value, or null when the parameter is absent ({@code ?tag=} gives "", which callers reject). */
    String get(String name) {
        return values.get(name);
    }
}

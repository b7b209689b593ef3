package dev.pulse.core.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.core.Json;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A raw query string ({@code a=1&b=x%2Fy}) as both functions read it: decoded strictly, so that a parameter given
 * twice or a broken percent escape is the client's error, answered 400 {@code invalid_query} with the parameter, and
 * never guessed at. An empty pair ({@code a=1&&b=2}) is skipped; {@code name} without {@code =} has the value "".
 */
public final class QueryString {

    private final Map<String, String> values;

    private QueryString(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** @throws ClientError 400 {@code invalid_query} for a repeated parameter or a broken percent escape */
    public static QueryString parse(String raw) {
        Map<String, String> values = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return new QueryString(values);
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq), null, pair);
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), name, pair);
            if (values.putIfAbsent(name, value) != null) {
                throw invalid(name, name + " is given more than once");
            }
        }
        return new QueryString(values);
    }

    /** @param name the parameter whose value this is; null while decoding the name itself */
    private static String decode(String text, String name, String pair) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid(name, "the query parameter '" + pair + "' has a broken percent escape");
        }
    }

    /** 400 {@code {"error":"invalid_query","message":...,"parameter":name}}; {@code parameter} may be null. */
    public static ClientError invalid(String parameter, String message) {
        ObjectNode body = Json.error("invalid_query", message);
        if (parameter != null) {
            body.put("parameter", parameter);
        }
        return new ClientError(HttpResponse.error(400, body));
    }

    /** The value, or null when the parameter is absent ({@code ?tag=} gives ""). */
    public String get(String name) {
        return values.get(name);
    }

    /** Every parameter, in the order given. */
    public Map<String, String> values() {
        return values;
    }
}

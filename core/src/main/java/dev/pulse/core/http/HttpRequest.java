package dev.pulse.core.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.core.Deadline;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * One HTTP request as both functions read it from their Function URL event (payload format 2.0): the method in upper
 * case, the path normalised ({@link Routes#normalise}), the raw query, the headers looked up case-insensitively
 * (Function URLs send them lower-cased; tests and other callers may not), the body as the event carries it, and the
 * moment by which the answer must be ready. The dashboard builds it from the managed runtime's event object, the SSE
 * function from the event's JSON ({@link #fromEvent}).
 */
public record HttpRequest(String method, String path, String rawQuery, Map<String, String> headers, String body,
                          boolean base64, Deadline deadline) {

    public HttpRequest {
        method = method == null ? "" : method.toUpperCase(Locale.ROOT);
        path = Routes.normalise(path);
        rawQuery = rawQuery == null ? "" : rawQuery;
        Map<String, String> caseless = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            headers.forEach((name, value) -> {
                if (name != null && value != null) {
                    caseless.put(name, value);
                }
            });
        }
        headers = Collections.unmodifiableMap(caseless);
    }

    /**
     * The request in a Function URL event's JSON.
     *
     * @throws IllegalArgumentException when the JSON is not a Function URL event (no {@code requestContext.http.method})
     */
    public static HttpRequest fromEvent(JsonNode event, Deadline deadline) {
        if (event == null || !event.isObject()) {
            throw new IllegalArgumentException("the invocation payload is not a JSON object");
        }
        JsonNode http = event.path("requestContext").path("http");
        String method = http.path("method").asText("");
        if (method.isEmpty()) {
            throw new IllegalArgumentException(
                    "not a Function URL event (payload format 2.0): requestContext.http.method is missing");
        }
        Map<String, String> headers = new TreeMap<>();
        event.path("headers").properties().forEach(e -> headers.put(e.getKey(), e.getValue().asText()));
        String rawPath = event.hasNonNull("rawPath") ? event.get("rawPath").asText() : http.path("path").asText("/");
        String rawQuery = event.hasNonNull("rawQueryString") ? event.get("rawQueryString").asText()
                : queryOf(event.path("queryStringParameters"));
        String body = event.hasNonNull("body") ? event.get("body").asText() : null;
        return new HttpRequest(method, rawPath, rawQuery, headers, body, event.path("isBase64Encoded").asBoolean(false),
                deadline);
    }

    /** A query string from decoded parameters: for events that carry only {@code queryStringParameters}. */
    private static String queryOf(JsonNode parameters) {
        StringJoiner query = new StringJoiner("&");
        parameters.properties().forEach(e -> query.add(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue().asText(), StandardCharsets.UTF_8)));
        return query.toString();
    }

    public String header(String name) {
        return headers.get(name);
    }

    public boolean isHead() {
        return method.equals("HEAD");
    }

    /** @throws ClientError 400 {@code invalid_query} ({@link QueryString#parse}) */
    public QueryString query() {
        return QueryString.parse(rawQuery);
    }

    /**
     * The body as the client sent it: base64-decoded when the Function URL encoded it.
     *
     * @throws ClientError 400 {@code invalid_body} when it is marked base64 but is not
     */
    public byte[] bodyBytes() {
        if (body == null) {
            return new byte[0];
        }
        if (!base64) {
            return body.getBytes(StandardCharsets.UTF_8);
        }
        try {
            return Base64.getDecoder().decode(body);   // strict: Function URLs send plain base64
        } catch (IllegalArgumentException e) {
            throw ClientError.of(400, "invalid_body", "the request body is marked base64-encoded but is not valid base64");
        }
    }
}

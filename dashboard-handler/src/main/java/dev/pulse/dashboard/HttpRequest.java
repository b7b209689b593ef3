package dev.pulse.dashboard;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.pulse.core.Deadline;
import dev.pulse.core.http.Routes;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parts of a Function URL (payload format 2.0) event the dashboard uses, with the path normalised
 * and header names looked up case-insensitively (Function URLs send them lowercased; tests and other
 * callers may not), and the moment by which the answer must be ready.
 */
record HttpRequest(String method, String path, String rawQuery, Map<String, String> headers, String body,
                   boolean base64, Deadline deadline) {

    static HttpRequest from(APIGatewayV2HTTPEvent event, Deadline deadline) {
        APIGatewayV2HTTPEvent.RequestContext context = event.getRequestContext();
        APIGatewayV2HTTPEvent.RequestContext.Http http = context == null ? null : context.getHttp();
        String method = http == null || http.getMethod() == null ? "" : http.getMethod().toUpperCase(Locale.ROOT);
        String rawPath = event.getRawPath() != null ? event.getRawPath() : http == null ? null : http.getPath();
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (event.getHeaders() != null) {
            event.getHeaders().forEach((name, value) -> {
                if (name != null && value != null) {
                    headers.put(name, value);
                }
            });
        }
        return new HttpRequest(method, Routes.normalise(rawPath),
                event.getRawQueryString() == null ? "" : event.getRawQueryString(),
                headers, event.getBody(), event.getIsBase64Encoded(), deadline);
    }

    String header(String name) {
        return headers.get(name);
    }

    boolean isHead() {
        return method.equals("HEAD");
    }

    /** The body as the client sent it: base64-decoded when the Function URL encoded it. */
    byte[] bodyBytes() {
        if (body == null) {
            return new byte[0];
        }
        if (!base64) {
            return body.getBytes(StandardCharsets.UTF_8);
        }
        try {
            return Base64.getDecoder().decode(body);   // strict: Function URLs send plain base64
        } catch (IllegalArgumentException e) {
            throw ApiError.of(400, "invalid_body", "the request body is marked base64-encoded but is not valid base64");
        }
    }
}

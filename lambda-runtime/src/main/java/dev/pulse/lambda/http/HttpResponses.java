package dev.pulse.lambda.http;

import dev.pulse.lambda.runtime.Body;
import dev.pulse.lambda.runtime.Response;
import dev.pulse.lambda.wire.Json;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP responses for a Function URL, as {@link Response} values the runtime sends:
 * <ul>
 *   <li>{@link #stream}: for invoke mode RESPONSE_STREAM, the prelude and then the body's writes as they happen;</li>
 *   <li>{@link #whole}: a whole body through the same streaming protocol (the prelude, then one chunk), for the
 *       short answers of a streaming function;</li>
 *   <li>{@link #buffered}: for invoke mode BUFFERED, the payload-2.0 response object.</li>
 * </ul>
 */
public final class HttpResponses {

    /** The Content-Type of a streamed HTTP response to the Runtime API: a prelude, 8 NULs, then the body. */
    public static final String HTTP_INTEGRATION_CONTENT_TYPE = "application/vnd.awslambda.http-integration-response";

    private HttpResponses() {
    }

    /** A streamed response: {@code prelude}, sent with the body's first write, then each write as a chunk. */
    public static Response stream(HttpPrelude prelude, Body body) {
        return new Response.Streaming(HTTP_INTEGRATION_CONTENT_TYPE, prelude.encode(), body);
    }

    /** A whole body through the streaming protocol: the prelude, then the body as one chunk. */
    public static Response whole(HttpPrelude prelude, byte[] body) {
        return stream(prelude, sink -> sink.write(body));
    }

    /**
     * The payload-2.0 response object {@code {"statusCode","headers","cookies","body","isBase64Encoded"}}: the body as
     * text when its Content-Type is text or JSON, else base64.
     */
    public static Response buffered(HttpPrelude prelude, byte[] body) {
        Map<String, String> headers = prelude.joinedHeaders();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("statusCode", prelude.statusCode());
        payload.put("headers", headers);
        payload.put("cookies", prelude.cookies());
        boolean text = isText(headers);
        payload.put("body", text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body));
        payload.put("isBase64Encoded", !text);
        return Response.json(Json.write(payload));
    }

    private static boolean isText(Map<String, String> headers) {
        String type = headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase("content-type"))
                .map(e -> e.getValue().toLowerCase(Locale.ROOT))
                .findFirst().orElse("");
        return type.startsWith("text/") || type.contains("json") || type.contains("xml") || type.contains("javascript");
    }
}

package dev.pulse.local.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A function's answer as the Function URL sends it: status, header fields (repeatable, for Set-Cookie) and body.
 * Built from a payload format 2.0 response (buffered) or from a streaming prelude.
 */
record UrlResponse(int status, List<Map.Entry<String, String>> headers, byte[] body) {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The front frames the body itself; these would contradict it. */
    private static final Set<String> FRAMING = Set.of("content-length", "transfer-encoding", "connection");

    /** The function's response cannot be turned into an HTTP response (Lambda answers 502). */
    static final class MalformedResponse extends Exception {
        MalformedResponse(String message) {
            super(message);
        }
    }

    UrlResponse {
        headers = List.copyOf(headers);
    }

    /**
     * Payload 2.0 response: a JSON object with {@code statusCode} is applied field by field (headers,
     * multiValueHeaders, cookies → Set-Cookie, body, isBase64Encoded); any other valid JSON is the body of a
     * 200 {@code application/json} response.
     */
    static UrlResponse fromPayload(byte[] payload) throws MalformedResponse {
        JsonNode root;
        try {
            root = MAPPER.readTree(payload);
        } catch (IOException e) {
            throw new MalformedResponse("the function's response is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject() || !root.has("statusCode")) {
            return new UrlResponse(200, List.of(Map.entry("Content-Type", "application/json")), payload);
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        int status = status(root.get("statusCode"));
        addHeaders(root, headers);
        JsonNode multi = root.path("multiValueHeaders");
        multi.properties().forEach(field -> field.getValue().forEach(value -> add(headers, field.getKey(), value.asText())));
        byte[] body = new byte[0];
        JsonNode bodyNode = root.get("body");
        if (bodyNode != null && !bodyNode.isNull()) {
            String text = bodyNode.isTextual() ? bodyNode.asText() : bodyNode.toString();
            if (root.path("isBase64Encoded").asBoolean(false)) {
                try {
                    body = Base64.getDecoder().decode(text);
                } catch (IllegalArgumentException e) {
                    throw new MalformedResponse("isBase64Encoded is true but the body is not base64");
                }
            } else {
                body = text.getBytes(StandardCharsets.UTF_8);
            }
        }
        return new UrlResponse(status, headers, body);
    }

    /** The head of a streamed http-integration-response, and the body bytes that came with it. */
    record IntegrationHead(UrlResponse head, byte[] rest) {
    }

    private static final int DELIMITER_LENGTH = 8;

    /**
     * Splits what a streamed http-integration-response has sent so far at its 8-NUL delimiter: the JSON prelude
     * before it (status, headers, cookies) and the body bytes after it. Null while the delimiter has not come.
     * The one place the local stack reads this framing, whether the URL relays it (RESPONSE_STREAM) or
     * buffers it (BUFFERED).
     */
    static IntegrationHead fromIntegrationStream(byte[] received) throws MalformedResponse {
        int run = 0;
        for (int i = 0; i < received.length; i++) {
            run = received[i] == 0 ? run + 1 : 0;
            if (run == DELIMITER_LENGTH) {
                int split = i - DELIMITER_LENGTH + 1;
                return new IntegrationHead(fromPrelude(Arrays.copyOfRange(received, 0, split)),
                        Arrays.copyOfRange(received, i + 1, received.length));
            }
        }
        return null;
    }

    /** The JSON prelude of a streamed http-integration-response: status, headers, cookies; body follows. */
    static UrlResponse fromPrelude(byte[] prelude) throws MalformedResponse {
        JsonNode root;
        try {
            root = prelude.length == 0 ? MAPPER.createObjectNode() : MAPPER.readTree(prelude);
        } catch (IOException e) {
            throw new MalformedResponse("the streamed response's prelude is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            throw new MalformedResponse("the streamed response's prelude is not a JSON object");
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        int status = root.has("statusCode") ? status(root.get("statusCode")) : 200;
        addHeaders(root, headers);
        return new UrlResponse(status, headers, new byte[0]);
    }

    private static void addHeaders(JsonNode root, List<Map.Entry<String, String>> headers) {
        root.path("headers").properties().forEach(field -> add(headers, field.getKey(), field.getValue().asText()));
        root.path("cookies").forEach(cookie -> add(headers, "Set-Cookie", cookie.asText()));
    }

    private static void add(List<Map.Entry<String, String>> headers, String name, String value) {
        if (!FRAMING.contains(name.toLowerCase(Locale.ROOT))) {
            headers.add(Map.entry(name, value));
        }
    }

    private static int status(JsonNode node) throws MalformedResponse {
        int status = node.isNumber() ? node.asInt() : parse(node.asText());
        if (status < 100 || status > 599) {
            throw new MalformedResponse("statusCode " + node + " is not an HTTP status");
        }
        return status;
    }

    private static int parse(String text) throws MalformedResponse {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new MalformedResponse("statusCode \"" + text + "\" is not a number");
        }
    }

    UrlResponse withBody(byte[] newBody) {
        return new UrlResponse(status, headers, newBody);
    }

    String header(String name) {
        return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }
}

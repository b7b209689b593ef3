package dev.pulse.dashboard;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.core.Json;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds the JSON document a Lambda Function URL sends (payload format 2.0: {@code version "2.0"},
 * {@code rawPath}, {@code rawQueryString}, lowercased {@code headers}, {@code queryStringParameters} with
 * repeated values comma-joined, {@code requestContext.http}, {@code body}, {@code isBase64Encoded}) and
 * turns it into an {@link APIGatewayV2HTTPEvent} with the serializer the managed Java runtime uses.
 */
final class FunctionUrlEvent {

    static final PojoSerializer<APIGatewayV2HTTPEvent> SERIALIZER =
            LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, FunctionUrlEvent.class.getClassLoader());
    private static final AtomicLong REQUESTS = new AtomicLong();
    private static final DateTimeFormatter CLF_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final String method;
    private final String rawPath;
    private String rawQuery = "";
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String body;
    private boolean base64;

    private FunctionUrlEvent(String method, String rawPath) {
        this.method = method;
        this.rawPath = rawPath;
        headers.put("host", "abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws");
        headers.put("user-agent", "pulse-tests/1.0");
        headers.put("accept", "*/*");
        headers.put("x-forwarded-for", "203.0.113.7");
        headers.put("x-forwarded-proto", "https");
        headers.put("x-forwarded-port", "443");
        headers.put("x-amzn-trace-id", "Root=1-6744f1a0-0123456789abcdef01234567");
    }

    static FunctionUrlEvent request(String method, String rawPathAndQuery) {
        int q = rawPathAndQuery.indexOf('?');
        FunctionUrlEvent event = new FunctionUrlEvent(method, q < 0 ? rawPathAndQuery : rawPathAndQuery.substring(0, q));
        if (q >= 0) {
            event.rawQuery = rawPathAndQuery.substring(q + 1);
        }
        return event;
    }

    static FunctionUrlEvent get(String rawPathAndQuery) {
        return request("GET", rawPathAndQuery);
    }

    static FunctionUrlEvent post(String rawPath, String jsonBody) {
        return request("POST", rawPath).header("content-type", "application/json").body(jsonBody);
    }

    /** Function URLs lowercase header names. */
    FunctionUrlEvent header(String name, String value) {
        headers.put(name.toLowerCase(Locale.ROOT), value);
        return this;
    }

    FunctionUrlEvent withoutHeader(String name) {
        headers.remove(name.toLowerCase(Locale.ROOT));
        return this;
    }

    FunctionUrlEvent body(String text) {
        this.body = text;
        this.base64 = false;
        return this;
    }

    /** As a Function URL sends a body whose content type it does not treat as text. */
    FunctionUrlEvent base64Body(byte[] bytes) {
        this.body = Base64.getEncoder().encodeToString(bytes);
        this.base64 = true;
        return this;
    }

    /** Sends {@code body} verbatim with {@code isBase64Encoded: true} (for broken encodings). */
    FunctionUrlEvent rawBase64Body(String text) {
        this.body = text;
        this.base64 = true;
        return this;
    }

    String json() {
        long n = REQUESTS.incrementAndGet();
        Instant now = Instant.now();
        ObjectNode root = Json.object()
                .put("version", "2.0")
                .put("routeKey", "$default")
                .put("rawPath", rawPath)
                .put("rawQueryString", rawQuery);
        ObjectNode h = root.putObject("headers");
        headers.forEach(h::put);
        if (!rawQuery.isEmpty()) {
            ObjectNode params = root.putObject("queryStringParameters");
            Map<String, String> joined = new LinkedHashMap<>();
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = lenientDecode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : lenientDecode(pair.substring(eq + 1));
                joined.merge(name, value, (a, b) -> a + "," + b);
            }
            joined.forEach(params::put);
        }
        ObjectNode context = root.putObject("requestContext")
                .put("accountId", "anonymous")
                .put("apiId", "abcdefghijklmnopqrstuvwxyz012345")
                .put("domainName", headers.get("host"))
                .put("domainPrefix", "abcdefghijklmnopqrstuvwxyz012345");
        context.putObject("http")
                .put("method", method)
                .put("path", rawPath)
                .put("protocol", "HTTP/1.1")
                .put("sourceIp", "203.0.113.7")
                .put("userAgent", headers.getOrDefault("user-agent", ""));
        context.put("requestId", "7d3a5a5e-0000-4000-8000-" + String.format("%012d", n))
                .put("routeKey", "$default")
                .put("stage", "$default")
                .put("time", CLF_TIME.format(now))
                .put("timeEpoch", now.toEpochMilli());
        if (body != null) {
            root.put("body", body);
        }
        root.put("isBase64Encoded", base64);
        return Json.write(root);
    }

    private static String lenientDecode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;   // Function URLs pass undecodable parameters through
        }
    }

    APIGatewayV2HTTPEvent event() {
        return SERIALIZER.fromJson(json());
    }
}

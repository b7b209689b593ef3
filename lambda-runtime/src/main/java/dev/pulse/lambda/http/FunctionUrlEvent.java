package dev.pulse.lambda.http;

import dev.pulse.lambda.wire.Json;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The event a Lambda Function URL sends its function: payload format 2.0 (the API Gateway HTTP API shape with a
 * Function URL's fixed values: {@code routeKey} and {@code stage} {@code $default}, {@code accountId}
 * {@code anonymous}, no path parameters, stage variables or mutual TLS). A function's tests build the events it will
 * receive with it, and a Function URL emulator builds every invocation's event with it, so both say the same.
 *
 * <ul>
 *   <li>header names lower-cased; a repeated header joined with {@code ,}; {@code cookie} moves to
 *       {@code cookies} (split on {@code ;});</li>
 *   <li>{@code queryStringParameters}: decoded (an undecodable part is passed as sent), repeated keys joined
 *       with {@code ,}; absent without a query;</li>
 *   <li>{@code body}: absent without one; base64 ({@code isBase64Encoded}) unless the content type is text.</li>
 * </ul>
 *
 * The event is JSON text ({@link #toJson}, {@link #toBytes}); a test that wants a tree parses it with its own JSON
 * library.
 */
public final class FunctionUrlEvent {

    private static final DateTimeFormatter CLF_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final AtomicLong REQUESTS = new AtomicLong();
    private static final String EXAMPLE_URL_ID = "abcdefghijklmnopqrstuvwxyz012345";

    private final String method;
    private final String rawPath;
    private final String rawQuery;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final List<String> cookies = new ArrayList<>();
    private String body;
    private boolean base64;
    private String apiId = EXAMPLE_URL_ID;
    private String sourceIp = "203.0.113.7";
    private String protocol = "HTTP/1.1";
    private String requestId;
    private Instant time;

    private FunctionUrlEvent(String method, String rawPathAndQuery) {
        int q = rawPathAndQuery.indexOf('?');
        this.method = method;
        this.rawPath = q < 0 ? rawPathAndQuery : rawPathAndQuery.substring(0, q);
        this.rawQuery = q < 0 ? "" : rawPathAndQuery.substring(q + 1);
    }

    /** An event with nothing but what the request itself carries (an emulator adds what its front end does). */
    public static FunctionUrlEvent bare(String method, String rawPathAndQuery) {
        return new FunctionUrlEvent(method, rawPathAndQuery);
    }

    /** An event as a client's request through a deployed Function URL looks, with the headers its front end adds. */
    public static FunctionUrlEvent request(String method, String rawPathAndQuery) {
        return bare(method, rawPathAndQuery)
                .header("host", EXAMPLE_URL_ID + ".lambda-url.us-east-1.on.aws")
                .header("user-agent", "test-client/1.0")
                .header("accept", "*/*")
                .header("x-forwarded-for", "203.0.113.7")
                .header("x-forwarded-proto", "https")
                .header("x-forwarded-port", "443")
                .header("x-amzn-trace-id", "Root=1-6744f1a0-0123456789abcdef01234567");
    }

    public static FunctionUrlEvent get(String rawPathAndQuery) {
        return request("GET", rawPathAndQuery);
    }

    public static FunctionUrlEvent post(String rawPath, String jsonBody) {
        return request("POST", rawPath).header("content-type", "application/json").body(jsonBody);
    }

    /** Sets a header (Function URLs lower-case header names); {@code cookie} goes to {@code cookies}. */
    public FunctionUrlEvent header(String name, String value) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals("cookie")) {
            return addHeader(name, value);
        }
        headers.put(lower, value);
        return this;
    }

    /** Adds a header as a Function URL does with a repeated one: joined to the earlier value with {@code ,}. */
    public FunctionUrlEvent addHeader(String name, String value) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals("cookie")) {
            for (String cookie : value.split(";")) {
                if (!cookie.isBlank()) {
                    cookies.add(cookie.trim());
                }
            }
            return this;
        }
        headers.merge(lower, value, (a, b) -> a + "," + b);
        return this;
    }

    public FunctionUrlEvent withoutHeader(String name) {
        headers.remove(name.toLowerCase(Locale.ROOT));
        return this;
    }

    /** The header's value as the event carries it (repeated ones joined), or null. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public FunctionUrlEvent body(String text) {
        this.body = text;
        this.base64 = false;
        return this;
    }

    /** The body as a Function URL passes it: none when empty, as text for a text content type, else base64. */
    public FunctionUrlEvent body(byte[] bytes) {
        if (bytes.length == 0) {
            this.body = null;
            this.base64 = false;
        } else if (isText(headers.get("content-type"))) {
            body(new String(bytes, StandardCharsets.UTF_8));
        } else {
            base64Body(bytes);
        }
        return this;
    }

    /** As a Function URL sends a body whose content type it does not treat as text. */
    public FunctionUrlEvent base64Body(byte[] bytes) {
        this.body = Base64.getEncoder().encodeToString(bytes);
        this.base64 = true;
        return this;
    }

    /** Sends {@code text} verbatim with {@code isBase64Encoded: true} (for broken encodings). */
    public FunctionUrlEvent rawBase64Body(String text) {
        this.body = text;
        this.base64 = true;
        return this;
    }

    /** The URL id: the first label of a real Function URL's host name. */
    public FunctionUrlEvent apiId(String id) {
        this.apiId = id;
        return this;
    }

    public FunctionUrlEvent sourceIp(String ip) {
        this.sourceIp = ip;
        return this;
    }

    public FunctionUrlEvent protocol(String httpVersion) {
        this.protocol = httpVersion;
        return this;
    }

    /** The request id ({@code requestContext.requestId}); without one, a new one each time the event is written. */
    public FunctionUrlEvent requestId(String id) {
        this.requestId = id;
        return this;
    }

    /** When the request arrived ({@code requestContext.time}, {@code timeEpoch}); without one, the time the event is written. */
    public FunctionUrlEvent time(Instant at) {
        this.time = at;
        return this;
    }

    /** The event as JSON text. */
    public String toJson() {
        Instant now = time != null ? time : Instant.now();
        String id = requestId != null ? requestId
                : "7d3a5a5e-0000-4000-8000-" + String.format("%012d", REQUESTS.incrementAndGet());
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "2.0");
        event.put("routeKey", "$default");
        event.put("rawPath", rawPath);
        event.put("rawQueryString", rawQuery);
        if (!cookies.isEmpty()) {
            event.put("cookies", cookies);
        }
        event.put("headers", headers);
        if (!rawQuery.isEmpty()) {
            event.put("queryStringParameters", queryParameters(rawQuery));
        }
        event.put("requestContext", requestContext(id, now));
        if (body != null) {
            event.put("body", body);
        }
        event.put("pathParameters", null);   // a Function URL has one route: no path parameters, no stages
        event.put("isBase64Encoded", base64);
        event.put("stageVariables", null);
        return Json.write(event);
    }

    /** The event as UTF-8 JSON: the invocation's payload. */
    public byte[] toBytes() {
        return toJson().getBytes(StandardCharsets.UTF_8);
    }

    private Map<String, Object> requestContext(String id, Instant now) {
        Map<String, Object> http = new LinkedHashMap<>();
        http.put("method", method);
        http.put("path", rawPath);
        http.put("protocol", protocol);
        http.put("sourceIp", sourceIp);
        http.put("userAgent", headers.getOrDefault("user-agent", ""));
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("accountId", "anonymous");
        context.put("apiId", apiId);
        context.put("authentication", null);   // no mutual TLS on a Function URL
        context.put("domainName", headers.getOrDefault("host", apiId + ".lambda-url.us-east-1.on.aws"));
        context.put("domainPrefix", apiId);
        context.put("http", http);
        context.put("requestId", id);
        context.put("routeKey", "$default");
        context.put("stage", "$default");
        context.put("time", CLF_TIME.format(now));
        context.put("timeEpoch", now.toEpochMilli());
        return context;
    }

    private static Map<String, String> queryParameters(String rawQuery) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String key = decode(equals >= 0 ? pair.substring(0, equals) : pair);
            String value = equals >= 0 ? decode(pair.substring(equals + 1)) : "";
            parameters.merge(key, value, (a, b) -> a + "," + b);
        }
        return parameters;
    }

    private static String decode(String part) {
        try {
            return URLDecoder.decode(part, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return part;   // Function URLs pass undecodable parameters through
        }
    }

    /** Text bodies are passed as strings; anything else (or no content type) is base64-encoded. */
    private static boolean isText(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.toLowerCase(Locale.ROOT).split(";")[0].trim();
        return type.startsWith("text/")
                || type.equals("application/json")
                || type.equals("application/javascript")
                || type.equals("application/xml")
                || type.equals("application/x-www-form-urlencoded")
                || type.equals("application/graphql")
                || type.endsWith("+json")
                || type.endsWith("+xml");
    }
}

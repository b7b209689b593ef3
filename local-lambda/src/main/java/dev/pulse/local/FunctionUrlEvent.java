package dev.pulse.local;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

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

/**
 * HTTP request → Lambda Function URL event, payload format version 2.0 (the API Gateway HTTP API shape
 * with the Function URL's sentinel values: routeKey and stage {@code $default}, accountId {@code anonymous}
 * for auth type NONE).
 *
 * <ul>
 *   <li>header names lower-cased; repeated headers joined with {@code ,}; the {@code cookie} header moves
 *       to {@code cookies} (split on {@code ;});</li>
 *   <li>{@code queryStringParameters}: decoded, repeated keys joined with {@code ,}; absent without a query;</li>
 *   <li>{@code body}: absent without one; base64 (isBase64Encoded) unless the content type is text.</li>
 * </ul>
 */
final class FunctionUrlEvent {

    private static final DateTimeFormatter CLF_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private FunctionUrlEvent() {
    }

    /**
     * @param apiId      the URL id (the first label of a real Function URL host)
     * @param port       the front's port, for x-forwarded-port
     */
    static ObjectNode of(UrlRequest request, String apiId, int port, String requestId, Instant now) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        for (Map.Entry<String, String> header : request.headers()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (name.equals("cookie")) {
                for (String cookie : header.getValue().split(";")) {
                    if (!cookie.isBlank()) {
                        cookies.add(cookie.trim());
                    }
                }
                continue;
            }
            headers.merge(name, header.getValue(), (a, b) -> a + "," + b);
        }
        String host = headers.getOrDefault("host", "127.0.0.1:" + port);
        // What Lambda's front end adds in front of every function.
        headers.putIfAbsent("x-amzn-trace-id", TraceIds.root());
        headers.put("x-forwarded-for", request.sourceIp());
        headers.put("x-forwarded-proto", "http");
        headers.put("x-forwarded-port", Integer.toString(port));

        ObjectNode event = json.objectNode();
        event.put("version", "2.0");
        event.put("routeKey", "$default");
        event.put("rawPath", request.rawPath());
        event.put("rawQueryString", request.rawQuery());
        if (!cookies.isEmpty()) {
            cookies.forEach(event.putArray("cookies")::add);
        }
        ObjectNode headerNode = event.putObject("headers");
        headers.forEach(headerNode::put);
        if (!request.rawQuery().isEmpty()) {
            ObjectNode query = event.putObject("queryStringParameters");
            queryParameters(request.rawQuery()).forEach(query::put);
        }

        ObjectNode context = event.putObject("requestContext");
        context.put("accountId", "anonymous");
        context.put("apiId", apiId);
        context.putNull("authentication"); // no mutual TLS on a Function URL
        context.put("domainName", host);
        context.put("domainPrefix", apiId);
        ObjectNode http = context.putObject("http");
        http.put("method", request.method());
        http.put("path", request.rawPath());
        http.put("protocol", request.protocol());
        http.put("sourceIp", request.sourceIp());
        http.put("userAgent", headers.getOrDefault("user-agent", ""));
        context.put("requestId", requestId);
        context.put("routeKey", "$default");
        context.put("stage", "$default");
        context.put("time", CLF_TIME.format(now));
        context.put("timeEpoch", now.toEpochMilli());

        boolean base64 = false;
        if (request.body().length > 0) {
            base64 = !isText(headers.get("content-type"));
            event.put("body", base64
                    ? Base64.getEncoder().encodeToString(request.body())
                    : new String(request.body(), StandardCharsets.UTF_8));
        }
        event.putNull("pathParameters"); // a Function URL has one route: no path parameters, no stages
        event.put("isBase64Encoded", base64);
        event.putNull("stageVariables");
        return event;
    }

    static Map<String, String> queryParameters(String rawQuery) {
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
            return part; // keep what the client sent rather than fail the request
        }
    }

    /** Text bodies are passed as strings; anything else (or no content type) is base64-encoded. */
    static boolean isText(String contentType) {
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

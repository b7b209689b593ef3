package dev.pulse.sse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.core.Json;

import java.util.Map;

/** Function URL events (payload format 2.0), shaped like the ones Lambda sends. */
final class Events {

    private Events() {
    }

    static String request(String method, String rawPath, String rawQuery, Map<String, String> headers) {
        ObjectNode event = Json.object()
                .put("version", "2.0")
                .put("routeKey", "$default")
                .put("rawPath", rawPath)
                .put("rawQueryString", rawQuery);
        ObjectNode h = event.putObject("headers");
        h.put("host", "abc.lambda-url.us-east-1.on.aws");
        h.put("user-agent", "test");
        headers.forEach(h::put);
        ObjectNode context = event.putObject("requestContext");
        context.put("accountId", "anonymous").put("requestId", "r").put("domainName", "abc.lambda-url.us-east-1.on.aws")
                .put("timeEpoch", System.currentTimeMillis());
        context.putObject("http").put("method", method).put("path", rawPath).put("protocol", "HTTP/1.1")
                .put("sourceIp", "127.0.0.1").put("userAgent", "test");
        event.put("isBase64Encoded", false);
        return Json.write(event);
    }

    static String get(String rawPath, String rawQuery) {
        return request("GET", rawPath, rawQuery, Map.of());
    }
}

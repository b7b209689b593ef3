package dev.pulse.local.lambda;

import java.util.List;
import java.util.Map;

/**
 * An HTTP request as a Function URL receives it, before it becomes a payload 2.0 event.
 *
 * @param rawPath  the path as sent (still percent-encoded)
 * @param rawQuery the query string as sent, without '?'; empty when there is none
 * @param headers  header fields in arrival order, names as sent
 */
record UrlRequest(String method, String rawPath, String rawQuery, List<Map.Entry<String, String>> headers,
                  byte[] body, String sourceIp, String protocol) {

    UrlRequest {
        rawQuery = rawQuery == null ? "" : rawQuery;
        headers = List.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }
}

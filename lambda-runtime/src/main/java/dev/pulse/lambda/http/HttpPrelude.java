package dev.pulse.lambda.http;

import dev.pulse.lambda.wire.Json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The status, headers and cookies of a streamed HTTP response: what a Function URL (invoke mode RESPONSE_STREAM)
 * applies before it relays the body. On the wire it is the JSON {@code {"statusCode":..,"headers":{..},"cookies":[..]}}
 * followed by 8 NUL bytes ({@link #encode}).
 *
 * <p>A header with several values goes out once, its values joined with {@code ", "} (RFC 9110, section 5.3);
 * {@code Set-Cookie} values, which may not be joined, move into {@code cookies}.
 *
 * @param headers names as the client should see them, each with its values in order
 */
public record HttpPrelude(int statusCode, Map<String, List<String>> headers, List<String> cookies) {

    /** The 8 NUL bytes that end the prelude. */
    public static final int DELIMITER_LENGTH = 8;

    public HttpPrelude {
        if (statusCode < 100 || statusCode > 599) {
            throw new IllegalArgumentException("not an HTTP status: " + statusCode);
        }
        Map<String, List<String>> kept = new LinkedHashMap<>();
        List<String> allCookies = new ArrayList<>(cookies);
        headers.forEach((name, values) -> {
            if (name.toLowerCase(Locale.ROOT).equals("set-cookie")) {
                allCookies.addAll(values);
            } else if (!values.isEmpty()) {
                kept.put(name, List.copyOf(values));
            }
        });
        headers = Collections.unmodifiableMap(kept);
        cookies = List.copyOf(allCookies);
    }

    /** A prelude with one value per header and no cookies (a {@code Set-Cookie} header still becomes a cookie). */
    public static HttpPrelude of(int statusCode, Map<String, String> headers) {
        Map<String, List<String>> multi = new LinkedHashMap<>();
        headers.forEach((name, value) -> multi.put(name, List.of(value)));
        return new HttpPrelude(statusCode, multi, List.of());
    }

    /** The JSON, then the delimiter. */
    public byte[] encode() {
        byte[] json = json().getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[json.length + DELIMITER_LENGTH];   // the tail stays all zero: the delimiter
        System.arraycopy(json, 0, bytes, 0, json.length);
        return bytes;
    }

    String json() {
        Map<String, Object> prelude = new LinkedHashMap<>();
        prelude.put("statusCode", statusCode);
        prelude.put("headers", joinedHeaders());
        prelude.put("cookies", cookies);
        return Json.write(prelude);
    }

    /** Each header once, its values joined with ", ". */
    Map<String, String> joinedHeaders() {
        Map<String, String> joined = new LinkedHashMap<>();
        headers.forEach((name, values) -> joined.put(name, String.join(", ", values)));
        return joined;
    }
}

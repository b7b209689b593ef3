package dev.pulse.lambda.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The prelude of a streamed response: its JSON, its 8 NULs, multi-value headers and cookies. */
class HttpPreludeTest {

    @Test
    void theJsonThenExactlyEightNuls() {
        byte[] bytes = HttpPrelude.of(200, Map.of("Content-Type", "text/event-stream")).encode();
        String json = "{\"statusCode\":200,\"headers\":{\"Content-Type\":\"text/event-stream\"},\"cookies\":[]}";
        assertEquals(json, new String(bytes, 0, bytes.length - 8, StandardCharsets.UTF_8));
        assertArrayEquals(new byte[8], Arrays.copyOfRange(bytes, bytes.length - 8, bytes.length));
    }

    @Test
    void multiValueHeadersAreJoined_andSetCookieBecomesCookies() {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Vary", List.of("Origin", "Accept-Encoding"));
        headers.put("Set-Cookie", List.of("a=1; Path=/", "b=2"));
        headers.put("Empty", List.of());
        HttpPrelude prelude = new HttpPrelude(302, headers, List.of("c=3"));
        assertEquals("{\"statusCode\":302,\"headers\":{\"Vary\":\"Origin, Accept-Encoding\"},"
                + "\"cookies\":[\"c=3\",\"a=1; Path=/\",\"b=2\"]}", prelude.json());
    }

    @Test
    void aStatusOutsideHttpsRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> HttpPrelude.of(42, Map.of()));
    }
}

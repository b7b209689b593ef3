package dev.pulse.local.lambda;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UrlResponseTest {

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void appliesStatusHeadersCookiesAndBody() throws Exception {
        UrlResponse response = UrlResponse.fromPayload(utf8("{\"statusCode\":404,\"headers\":{\"Content-Type\":\"application/json\","
                + "\"Content-Length\":\"999\"},\"cookies\":[\"a=1\",\"b=2\"],\"body\":\"{\\\"error\\\":\\\"not_found\\\"}\"}"));
        assertEquals(404, response.status());
        assertEquals(List.of(Map.entry("Content-Type", "application/json"), Map.entry("Set-Cookie", "a=1"),
                Map.entry("Set-Cookie", "b=2")), response.headers(), "framing headers are the front's own");
        assertEquals("{\"error\":\"not_found\"}", new String(response.body(), StandardCharsets.UTF_8));
    }

    @Test
    void decodesBase64BodiesAndAcceptsMultiValueHeaders() throws Exception {
        UrlResponse response = UrlResponse.fromPayload(utf8("{\"statusCode\":\"200\",\"isBase64Encoded\":true,\"body\":\"AAEC\","
                + "\"multiValueHeaders\":{\"X-A\":[\"1\",\"2\"]}}"));
        assertEquals(200, response.status());
        assertArrayEquals(new byte[] {0, 1, 2}, response.body());
        assertEquals(List.of(Map.entry("X-A", "1"), Map.entry("X-A", "2")), response.headers());
    }

    @Test
    void anyOtherJsonIsA200JsonBody() throws Exception {
        for (String payload : List.of("{\"message\":\"hi\"}", "\"text\"", "[1,2]", "42", "null")) {
            UrlResponse response = UrlResponse.fromPayload(utf8(payload));
            assertEquals(200, response.status(), payload);
            assertEquals("application/json", response.header("content-type"), payload);
            assertEquals(payload, new String(response.body(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void rejectsWhatCannotBeAnHttpResponse() {
        assertThrows(UrlResponse.MalformedResponse.class, () -> UrlResponse.fromPayload(utf8("not json")));
        assertThrows(UrlResponse.MalformedResponse.class, () -> UrlResponse.fromPayload(utf8("{\"statusCode\":99}")));
        assertThrows(UrlResponse.MalformedResponse.class, () -> UrlResponse.fromPayload(utf8("{\"statusCode\":\"abc\"}")));
        assertThrows(UrlResponse.MalformedResponse.class,
                () -> UrlResponse.fromPayload(utf8("{\"statusCode\":200,\"isBase64Encoded\":true,\"body\":\"***\"}")));
        assertThrows(UrlResponse.MalformedResponse.class, () -> UrlResponse.fromPrelude(utf8("[1]")));
    }

    @Test
    void preludeGivesStatusHeadersAndCookies() throws Exception {
        UrlResponse head = UrlResponse.fromPrelude(utf8("{\"statusCode\":200,\"headers\":{\"Content-Type\":\"text/event-stream\","
                + "\"Cache-Control\":\"no-cache\"},\"cookies\":[]}"));
        assertEquals(200, head.status());
        assertEquals("text/event-stream", head.header("content-type"));
        assertEquals("no-cache", head.header("cache-control"));
        assertNull(head.header("set-cookie"));
        assertEquals(200, UrlResponse.fromPrelude(new byte[0]).status(), "an empty prelude means 200");
    }

    @Test
    void splitsAnIntegrationStreamAtItsEightNuls() throws Exception {
        UrlResponse.IntegrationHead split = UrlResponse.fromIntegrationStream(
                utf8("{\"statusCode\":201,\"headers\":{\"X-A\":\"b\"}}\0\0\0\0\0\0\0\0data"));
        assertEquals(201, split.head().status());
        assertEquals("b", split.head().header("x-a"));
        assertEquals("data", new String(split.rest(), java.nio.charset.StandardCharsets.UTF_8));
        assertNull(UrlResponse.fromIntegrationStream(utf8("{}\0\0\0\0\0\0\0")), "seven NULs are not the delimiter");
        assertEquals(0, UrlResponse.fromIntegrationStream(utf8("{}\0\0\0\0\0\0\0\0")).rest().length);
    }
}

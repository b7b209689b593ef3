package dev.pulse.core.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The request rules both functions share: CORS origins and path normalisation. */
class CorsAndRoutesTest {

    @Test
    void originsAreListedOrAnyAndCompareLikeUrls() {
        assertFalse(Cors.parse(null, "Content-Type", null).enabled());
        assertFalse(Cors.parse(" , ", "Content-Type", null).enabled());
        Cors listed = Cors.parse("https://A.example/, http://localhost:8080", "Content-Type", null);
        assertTrue(listed.allows("https://a.example"));
        assertTrue(listed.allows("http://localhost:8080"));
        assertFalse(listed.allows("https://a.example.evil"));
        assertFalse(listed.allows(null));
        assertFalse(listed.allows("null"), "an opaque origin is no listed origin");
        assertTrue(Cors.parse("*", "Content-Type", null).allows("https://anything.example"));
        assertFalse(Cors.parse("*", "Content-Type", null).allows(""));
    }

    @Test
    void headersEchoAnAllowedOriginAndAlwaysVary() {
        Cors listed = Cors.parse("https://a.example", "Content-Type", null);
        assertEquals(Map.of("Vary", "Origin", "Access-Control-Allow-Origin", "https://a.example"),
                listed.headersFor("https://a.example"));
        assertEquals(Map.of("Vary", "Origin"), listed.headersFor("https://b.example"));
        assertEquals(Map.of(), Cors.parse("", "Content-Type", null).headersFor("https://a.example"), "no CORS configured: no headers");
    }

    @Test
    void aFunctionSaysWhatAPageMaySendAndRead() {
        Cors cors = Cors.parse("https://a.example", "Authorization, Content-Type", "Location");
        assertEquals("Location", cors.headersFor("https://a.example").get("Access-Control-Expose-Headers"));
        HttpResponse preflight = cors.preflight("https://a.example", "GET, POST");
        assertEquals(204, preflight.status());
        assertEquals("Authorization, Content-Type", preflight.headers().get("Access-Control-Allow-Headers"));
        assertEquals("GET, POST", preflight.headers().get("Access-Control-Allow-Methods"));
        assertEquals(403, cors.preflight("https://b.example", "GET").status());
        assertEquals(Map.of("Vary", "Origin"), cors.decorate(HttpResponse.empty(200), null).headers());
    }

    @ParameterizedTest
    @CsvSource({
            "/, /", "'', /", "//, /", "/health, /health", "/health/, /health", "//api//v2///items//, /api/v2/items",
            "api/v2/metrics, /api/v2/metrics", "/api/v2/stream/, /api/v2/stream"})
    void normalise(String raw, String expected) {
        assertEquals(expected, Routes.normalise(raw));
    }

    @Test
    void normaliseNull() {
        assertEquals("/", Routes.normalise(null));
    }

    @ParameterizedTest
    @CsvSource({"/api/v2/stream, true", "/api/v2/stream/status, true", "/api/v2/stream/a/b, true",
            "/api/v2/streamer, false", "/api/v2/streams, false", "/api/v2, false", "/api/v2/stream-x, false",
            "/stream, false"})
    void isStream(String path, boolean expected) {
        assertEquals(expected, Routes.isStream(path));
    }

}

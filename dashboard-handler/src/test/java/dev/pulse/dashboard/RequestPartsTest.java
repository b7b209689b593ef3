package dev.pulse.dashboard;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The small parsers: path normalisation, the stream-path predicate, query strings, the API key, CORS lists. */
class RequestPartsTest {

    @ParameterizedTest
    @CsvSource({
            "/, /", "'', /", "//, /", "/health, /health", "/health/, /health", "//api//v2///items//, /api/v2/items",
            "api/v2/metrics, /api/v2/metrics", "/api/v2/stream/, /api/v2/stream"})
    void normalise(String raw, String expected) {
        assertEquals(expected, Paths.normalise(raw));
    }

    @Test
    void normaliseNull() {
        assertEquals("/", Paths.normalise(null));
    }

    @ParameterizedTest
    @CsvSource({"/api/v2/stream, true", "/api/v2/stream/status, true", "/api/v2/stream/a/b, true",
            "/api/v2/streamer, false", "/api/v2/streams, false", "/api/v2, false", "/api/v2/stream-x, false",
            "/stream, false"})
    void isStream(String path, boolean expected) {
        assertEquals(expected, Paths.isStream(path));
    }

    @Test
    void queryStringDecodesAndRejectsRepeatsAndBrokenEscapes() {
        QueryString query = QueryString.parse("tag=BTC%2DUSD&limit=5&flag&&x=a+b");
        assertEquals("BTC-USD", query.get("tag"));
        assertEquals("5", query.get("limit"));
        assertEquals("", query.get("flag"));
        assertEquals("a b", query.get("x"));
        assertNull(query.get("after"));
        assertEquals(400, assertThrows(ApiError.class, () -> QueryString.parse("a=1&a=2")).response().status());
        assertEquals(400, assertThrows(ApiError.class, () -> QueryString.parse("a=%4")).response().status());
    }

    @Test
    void corsPolicyParsing() {
        CorsPolicy none = CorsPolicy.parse(null);
        assertFalse(none.enabled());
        assertFalse(CorsPolicy.parse(" , ").enabled());
        CorsPolicy listed = CorsPolicy.parse("https://a.example, http://localhost:8080/");
        assertTrue(listed.allows("https://a.example"));
        assertTrue(listed.allows("http://localhost:8080"));
        assertFalse(listed.allows("https://a.example.evil"));
        assertFalse(listed.allows("null"));
        assertFalse(listed.allows(null));
        CorsPolicy any = CorsPolicy.parse("*");
        assertTrue(any.allows("https://whatever.example"));
        assertFalse(any.allows(""));
    }

    @Test
    void configNormalisesTheSseUrl() {
        DashboardConfig config = DashboardConfig.fromEnvironment(java.util.Map.of("SSE_URL", " https://x.lambda-url.us-east-1.on.aws "));
        assertEquals("https://x.lambda-url.us-east-1.on.aws/", config.sseUrl());
        assertEquals("https://x.lambda-url.us-east-1.on.aws", config.sseOrigin());
        assertEquals("dev", config.version());
        assertNull(DashboardConfig.fromEnvironment(java.util.Map.of("SSE_URL", "")).sseUrl());
        assertNull(DashboardConfig.fromEnvironment(java.util.Map.of("SSE_URL", "not a url")).sseOrigin());
    }
}

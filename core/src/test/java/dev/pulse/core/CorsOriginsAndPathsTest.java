package dev.pulse.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The request rules both functions share: CORS origins and path normalisation. */
class CorsOriginsAndPathsTest {

    @Test
    void originsAreListedOrAnyAndCompareLikeUrls() {
        assertFalse(CorsOrigins.parse(null).enabled());
        assertFalse(CorsOrigins.parse(" , ").enabled());
        CorsOrigins listed = CorsOrigins.parse("https://A.example/, http://localhost:8080");
        assertTrue(listed.allows("https://a.example"));
        assertTrue(listed.allows("http://localhost:8080"));
        assertFalse(listed.allows("https://a.example.evil"));
        assertFalse(listed.allows(null));
        assertTrue(CorsOrigins.parse("*").allows("https://anything.example"));
        assertFalse(CorsOrigins.parse("*").allows(""));
    }

    @Test
    void headersEchoAnAllowedOriginAndAlwaysVary() {
        CorsOrigins listed = CorsOrigins.parse("https://a.example");
        assertEquals(Map.of("Vary", "Origin", "Access-Control-Allow-Origin", "https://a.example"),
                listed.headersFor("https://a.example"));
        assertEquals(Map.of("Vary", "Origin"), listed.headersFor("https://b.example"));
        assertEquals(Map.of(), CorsOrigins.parse("").headersFor("https://a.example"), "no CORS configured: no headers");
    }

    @ParameterizedTest
    @CsvSource({
            "/api/v2/items, /api/v2/items",
            "//api//v2/items/, /api/v2/items",
            "api/v2/stream, /api/v2/stream",
            "/, /",
            "///, /",
    })
    void pathsCollapseSlashesAndDropATrailingOne(String raw, String expected) {
        assertEquals(expected, RequestPaths.normalise(raw));
    }

    @Test
    void anEmptyPathIsTheRoot() {
        assertEquals("/", RequestPaths.normalise(""));
        assertEquals("/", RequestPaths.normalise(null));
    }
}

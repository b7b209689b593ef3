package dev.pulse.dashboard;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The small parsers of the dashboard: query strings, the settings. (Paths and CORS: core's CorsAndRoutesTest.) */
class RequestPartsTest {

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
    void configNormalisesTheSseUrl() {
        DashboardConfig config = DashboardConfig.fromEnvironment(java.util.Map.of("SSE_URL", " https://x.lambda-url.us-east-1.on.aws "));
        assertEquals("https://x.lambda-url.us-east-1.on.aws/", config.sseUrl());
        assertEquals("https://x.lambda-url.us-east-1.on.aws", config.sseOrigin());
        assertEquals("dev", config.version());
        assertNull(DashboardConfig.fromEnvironment(java.util.Map.of("SSE_URL", "")).sseUrl());
        assertNull(DashboardConfig.fromEnvironment(java.util.Map.of("SSE_URL", "not a url")).sseOrigin());
    }
}

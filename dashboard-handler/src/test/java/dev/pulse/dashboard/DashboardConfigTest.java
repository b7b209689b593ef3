package dev.pulse.dashboard;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The dashboard's settings. (Query strings and requests: core's HttpRequestTest; paths and CORS: CorsAndRoutesTest.) */
class DashboardConfigTest {

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

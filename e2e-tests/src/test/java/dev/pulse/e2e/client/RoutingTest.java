package dev.pulse.e2e.client;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoutingTest {

    @ParameterizedTest
    @ValueSource(strings = {"/api/v2/stream", "/api/v2/stream/", "/api/v2/stream/status", "/api/v2/stream?tags=A,B",
            "/api/v2/stream/?lastEventId=x", "/api/v2/stream#frag", "//api//v2/stream", "/api/v2/stream/a/b"})
    void streamPathsGoToTheSseFunction(String path) {
        assertTrue(Routing.isStreamPath(path), path);
        assertEquals(FunctionTarget.SSE, Routing.route(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v2/streamer", "/api/v2/streams", "/api/v2/stream-status", "/api/v2/items",
            "/api/v2/metrics", "/health", "/", "/api/v2/runtime", "/api/v1/stream", "/API/V2/STREAM",
            "/x/api/v2/stream", "/api/v2/items?tag=/api/v2/stream", "api/v2/stream", ""})
    void everythingElseGoesToTheDashboardFunction(String path) {
        assertFalse(Routing.isStreamPath(path), path);
        assertEquals(FunctionTarget.DASHBOARD, Routing.route(path));
    }

    @org.junit.jupiter.api.Test
    void nullIsNotAStreamPath() {
        assertFalse(Routing.isStreamPath(null));
    }
}

package dev.pulse.sse;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SseConfigTest {

    @Test
    void defaults() {
        SseConfig config = SseConfig.fromEnv(Map.of());
        assertEquals(Duration.ofSeconds(30), config.heartbeatInterval());
        assertEquals(Duration.ofSeconds(50), config.maxStream());
        assertEquals(Duration.ofMillis(1000), config.pollInterval());
        assertEquals("dev", config.version());
        assertNull(config.table());
        assertFalse(config.corsOrigins().enabled());
    }

    @Test
    void readsEveryVariable() {
        SseConfig config = SseConfig.fromEnv(Map.of("SSE_HEARTBEAT_INTERVAL_SECONDS", "5", "SSE_MAX_STREAM_SECONDS", "60",
                "SSE_POLL_INTERVAL_MS", "250", "PULSE_VERSION", "v9", "PULSE_TABLE", "t",
                "PULSE_CORS_ALLOWED_ORIGINS", "https://a.example/, https://B.example"));
        assertEquals(Duration.ofSeconds(5), config.heartbeatInterval());
        assertEquals(Duration.ofSeconds(60), config.maxStream());
        assertEquals(Duration.ofMillis(250), config.pollInterval());
        assertEquals("v9", config.version());
        assertEquals("t", config.table());
        assertTrue(config.corsOrigins().allows("https://a.example"));
        assertTrue(config.corsOrigins().allows("https://b.example"));
    }

    @Test
    void badValuesFailWithTheVariableName() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> SseConfig.fromEnv(Map.of("SSE_HEARTBEAT_INTERVAL_SECONDS", "0"))).getMessage()
                .contains("SSE_HEARTBEAT_INTERVAL_SECONDS"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> SseConfig.fromEnv(Map.of("SSE_MAX_STREAM_SECONDS", "901"))).getMessage()
                .contains("SSE_MAX_STREAM_SECONDS"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> SseConfig.fromEnv(Map.of("SSE_POLL_INTERVAL_MS", "1s"))).getMessage()
                .contains("SSE_POLL_INTERVAL_MS"));
    }

    @Test
    void pathsAreNormalised() {
        assertEquals("/api/v2/stream", Paths.normalise("//api//v2/stream/"));
        assertEquals("/", Paths.normalise(""));
        assertEquals("/health", Paths.normalise("health"));
    }
}

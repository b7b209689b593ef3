package dev.pulse.sse.app;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SseConfigTest {

    @Test
    void defaults() {
        SseConfig config = SseConfig.fromEnvironment(Map.of());
        assertEquals(Duration.ofSeconds(30), config.heartbeatInterval());
        assertEquals(Duration.ofSeconds(50), config.maxStream());
        assertEquals(Duration.ofMillis(1000), config.pollInterval());
        assertEquals("dev", config.version());
        assertFalse(config.cors().enabled());
    }

    @Test
    void readsEveryVariable() {
        SseConfig config = SseConfig.fromEnvironment(Map.of("SSE_HEARTBEAT_INTERVAL_SECONDS", "5", "SSE_MAX_STREAM_SECONDS", "60",
                "SSE_POLL_INTERVAL_MS", "250", "PULSE_VERSION", "v9", "PULSE_TABLE", "t",
                "PULSE_CORS_ALLOWED_ORIGINS", "https://a.example/, https://B.example"));
        assertEquals(Duration.ofSeconds(5), config.heartbeatInterval());
        assertEquals(Duration.ofSeconds(60), config.maxStream());
        assertEquals(Duration.ofMillis(250), config.pollInterval());
        assertEquals("v9", config.version());
        assertTrue(config.cors().allows("https://a.example"));
        assertTrue(config.cors().allows("https://b.example"));
        assertEquals("Last-Event-ID, Cache-Control, Content-Type", config.cors().allowHeaders(), "what EventSource sends");
    }

    @Test
    void badValuesFailWithTheVariableName() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> SseConfig.fromEnvironment(Map.of("SSE_HEARTBEAT_INTERVAL_SECONDS", "0"))).getMessage()
                .contains("SSE_HEARTBEAT_INTERVAL_SECONDS"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> SseConfig.fromEnvironment(Map.of("SSE_MAX_STREAM_SECONDS", "901"))).getMessage()
                .contains("SSE_MAX_STREAM_SECONDS"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> SseConfig.fromEnvironment(Map.of("SSE_POLL_INTERVAL_MS", "1s"))).getMessage()
                .contains("SSE_POLL_INTERVAL_MS"));
    }
}

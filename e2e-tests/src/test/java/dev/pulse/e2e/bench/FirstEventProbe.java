package dev.pulse.e2e.bench;

import dev.pulse.e2e.client.PulseClient;
import dev.pulse.e2e.sse.Received;
import dev.pulse.e2e.sse.SseConnection;
import dev.pulse.testing.SseFrame;

import java.time.Duration;
import java.util.List;

/** Time to first event: from just before the request is sent to the first dispatched event (the metrics snapshot). */
final class FirstEventProbe {
    private FirstEventProbe() {
    }

    static double millis(PulseClient client, String path) {
        long start = System.nanoTime();
        try (SseConnection c = SseConnection.open(client, path, null, Duration.ofSeconds(30))) {
            if (c.status() != 200) {
                throw new IllegalStateException("GET " + path + " → " + c.status());
            }
            List<Received> seen = c.readUntil(r -> r.frame() instanceof SseFrame.Event,
                    Duration.ofSeconds(30));
            return (seen.getLast().atNanos() - start) / 1e6;
        }
    }
}

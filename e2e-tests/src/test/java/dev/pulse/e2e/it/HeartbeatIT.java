package dev.pulse.e2e.it;

import dev.pulse.e2e.client.PulseClient;
import dev.pulse.e2e.sse.Received;
import dev.pulse.e2e.sse.SseConnection;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.pulse.e2e.it.Api.STREAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An idle stream is kept alive by {@code : heartbeat} comments. The stream is filtered on a tag
 * nobody writes, so (metrics aside) nothing but heartbeats can arrive; this waits the real interval
 * (30 s by default), hence {@code slow}.
 */
@Tag("sse")
@Tag("slow")
@Tag("preprod-safe")
@Timeout(value = 90, unit = TimeUnit.SECONDS)
@ExtendWith(E2eExtension.class)
class HeartbeatIT {

    @Test
    void anIdleStreamGetsAHeartbeatWithinTheInterval(E2eRun run) {
        PulseClient client = run.client();
        int interval = Api.json(client.get(STREAM + "/status")).path("heartbeat_interval_seconds").asInt();
        if (run.startedLocalPulse() && System.getenv("SSE_HEARTBEAT_INTERVAL_SECONDS") == null) {
            assertEquals(30, interval, "the local stack runs with the default heartbeat interval");
        }
        assertTrue(interval > 0 && interval <= 30, "heartbeat_interval_seconds = " + interval);

        try (SseConnection c = SseConnection.open(client, STREAM + "?tags=" + E2eRun.uniqueTag(), "",
                Duration.ofSeconds(10))) {
            assertEquals(200, c.status(), () -> StreamIT.body(c));
            long connected = c.headersAtNanos();
            List<Received> frames = c.readUntil(r -> r.isComment("heartbeat"), Duration.ofSeconds(interval + 5L));
            Received heartbeat = frames.get(frames.size() - 1);
            Received previous = frames.get(frames.size() - 2);
            double sinceConnect = (heartbeat.atNanos() - connected) / 1e9;
            double gap = (heartbeat.atNanos() - previous.atNanos()) / 1e9;
            assertTrue(sinceConnect <= interval + 5, "heartbeat " + sinceConnect + " s after connecting");
            // The timer restarts on every write: the heartbeat comes one interval after the last frame,
            // not earlier (measured on this side of the network, hence the slack).
            // Loopback adds almost no delay, so hold the local stack to ±1 s (the server's own bound is
            // ±250 ms); through a deployed Function URL allow for network and buffering on top.
            double early = 1;
            double late = run.targets().isLoopback() ? 1 : 3;
            assertTrue(gap >= interval - early && gap <= interval + late,
                    "heartbeat " + gap + " s after the previous frame " + previous.frame() + "; interval " + interval);
        }
    }
}

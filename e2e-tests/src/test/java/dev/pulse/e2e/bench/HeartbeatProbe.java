package dev.pulse.e2e.bench;

import dev.pulse.e2e.client.PulseClient;
import dev.pulse.e2e.sse.Received;
import dev.pulse.e2e.sse.SseConnection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Heartbeat precision: on an idle stream (a tag nobody writes, and nothing written anywhere while it
 * runs, since a metrics change would reset the timer), the gaps between consecutive frames after the
 * first event; each sample is |gap − interval| in ms.
 */
final class HeartbeatProbe {
    private HeartbeatProbe() {
    }

    static List<Double> deviations(PulseClient client, String path, int gaps, Duration interval) {
        List<Double> deviations = new ArrayList<>();
        Duration wait = interval.plusSeconds(5);
        try (SseConnection c = SseConnection.open(client, path, null, Duration.ofSeconds(30))) {
            long previous = c.readUntil(r -> r.event("metrics") != null, Duration.ofSeconds(30)).getLast().atNanos();
            while (deviations.size() < gaps) {
                Received r = c.next(wait).orElseThrow(() -> new IllegalStateException(
                        "no frame within " + wait + " on an idle stream " + path));
                if (!r.isComment("heartbeat")) {
                    throw new IllegalStateException("the idle stream " + path + " got " + r.frame()
                            + ": something wrote during the heartbeat phase");
                }
                deviations.add(Math.abs((r.atNanos() - previous) / 1e6 - interval.toMillis()));
                previous = r.atNanos();
            }
        }
        return deviations;
    }
}

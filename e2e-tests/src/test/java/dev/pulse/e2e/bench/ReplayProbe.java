package dev.pulse.e2e.bench;

import dev.pulse.e2e.client.PulseClient;
import dev.pulse.e2e.sse.Received;
import dev.pulse.e2e.sse.ReconnectingSseReader;
import dev.pulse.testing.SseFrame;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A resume from far behind: on a table holding items 1..{@code total}, a stream is opened with
 * {@code ?lastEventId=<item 1>} and must deliver items 2..total, each once and in order (across server
 * rotations, which the EventSource-like reader resumes from). Meanwhile the SSE environment processes'
 * VmRSS is sampled every 100 ms; VmHWM is read at the end. The stack should have one SSE environment
 * ({@code PULSE_SSE_CONCURRENCY=1}) so the samples are the replaying one's.
 */
final class ReplayProbe {

    /**
     * @param rssMb samples of the replaying environment's VmRSS during the replay
     * @param hwmMb the environment's VmHWM (peak resident set of its whole life) after the replay
     */
    record Result(int expected, int received, int lost, int repeated, int outOfOrder, double seconds,
                  List<Double> rssMb, double hwmMb, int connections) {
        double itemsPerSecond() {
            return received / seconds;
        }
    }

    private ReplayProbe() {
    }

    static Result run(PulseClient client, long stackPid, int total, Duration giveUp) {
        List<Double> rss = Collections.synchronizedList(new ArrayList<>());
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> Environments.list(stackPid).stream()
                .filter(e -> e.function() == Environments.Function.SSE && e.rssMb() > 0)
                .forEach(e -> rss.add(e.rssMb())), 0, 100, TimeUnit.MILLISECONDS);
        int expected = total - 1;
        int received = 0;
        int repeated = 0;
        int outOfOrder = 0;
        long previous = 1;
        long start = System.nanoTime();
        long last = start;
        String path = "/api/v2/stream?lastEventId=" + String.format("%016d", 1);
        try (ReconnectingSseReader reader = new ReconnectingSseReader(client, path, null, null).start()) {
            long quietSince = System.nanoTime();
            while (received < expected && System.nanoTime() - quietSince < giveUp.toNanos()) {
                Optional<Received> r = reader.next(Duration.ofMillis(200));
                SseFrame.Event e = r.map(x -> x.event("new_item")).orElse(null);
                if (e == null) {
                    continue;
                }
                long id = Long.parseLong(e.lastEventId());
                if (id <= previous) {
                    repeated++;
                } else {
                    outOfOrder += id == previous + 1 ? 0 : 1;
                    received++;
                    previous = id;
                }
                last = r.get().atNanos();
                quietSince = System.nanoTime();
            }
            double hwm = Environments.list(stackPid).stream().filter(e -> e.function() == Environments.Function.SSE)
                    .mapToDouble(e -> Environments.hwmMb(e.pid())).max().orElse(Double.NaN);
            return new Result(expected, received, expected - received, repeated, outOfOrder, (last - start) / 1e9,
                    List.copyOf(rss), hwm, reader.connections());
        } finally {
            sampler.shutdownNow();
        }
    }
}

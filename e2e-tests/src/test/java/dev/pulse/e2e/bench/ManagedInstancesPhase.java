package dev.pulse.e2e.bench;

import dev.pulse.e2e.client.PulseClient;
import dev.pulse.e2e.local.LocalPulseProcess;
import dev.pulse.e2e.sse.Received;
import dev.pulse.e2e.sse.SseConnection;
import dev.pulse.e2e.sse.SseTimeoutException;
import dev.pulse.testing.SseFrame;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The SSE function on the local stack in Managed Instances mode ({@code PULSE_SSE_MAX_CONCURRENCY=100}): 150 viewers
 * open the stream at once and must all be served by the environments pre-started for it (Lambda starts three), none
 * refused, in well under a GiB of resident memory; then one POST reaches every one of them.
 */
final class ManagedInstancesPhase {

    static final int VIEWERS = 150;
    static final int PER_ENVIRONMENT = 100;
    static final int MAX_ENVIRONMENTS = 3;
    static final Duration WAIT = Duration.ofSeconds(60);
    /** What a viewer read after the deadline still gets: time to take a frame already queued. */
    private static final Duration MIN_WAIT = Duration.ofMillis(10);

    private final Bench bench;

    ManagedInstancesPhase(Bench bench) {
        this.bench = bench;
    }

    void run() throws Exception {
        bench.progress().accept("Managed Instances on the local stack: " + VIEWERS + " viewers, " + PER_ENVIRONMENT + " per environment");
        try (LocalPulseProcess stack = BenchMain.start(bench.base().withEnv(Map.of(
                "PULSE_SSE_MAX_CONCURRENCY", Integer.toString(PER_ENVIRONMENT),
                "SSE_MAX_STREAM_SECONDS", "120", "SSE_HEARTBEAT_INTERVAL_SECONDS", "30")))) {
            PulseClient client = BenchMain.client(stack);
            long preStarted = Environments.count(stack.pid(), Environments.Function.SSE);
            List<SseConnection> viewers = new ArrayList<>();
            int refused = 0;
            try (ExecutorService opening = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<SseConnection>> opens = new ArrayList<>();
                for (int i = 0; i < VIEWERS; i++) {
                    opens.add(opening.submit(() -> SseConnection.open(client, "/api/v2/stream", "", WAIT)));
                }
                for (Future<SseConnection> open : opens) {
                    SseConnection viewer = open.get();
                    if (viewer.status() == 200) {
                        viewers.add(viewer);
                    } else {
                        refused++;
                        viewer.close();
                    }
                }
            }
            try {
                for (SseConnection viewer : viewers) {
                    viewer.readUntil(r -> r.frame() instanceof SseFrame.Event e && e.type().equals("metrics"), WAIT);
                }
                long environments = Environments.count(stack.pid(), Environments.Function.SSE);
                double rss = Environments.rss(stack.pid(), Environments.Function.SSE).stream()
                        .mapToDouble(Double::doubleValue).sum();
                long posted = System.nanoTime();
                client.postJson("/api/v2/items", "{\"tag\":\"MI\",\"label\":\"positive\",\"score\":0.9,\"text\":\"to all\"}");
                List<Double> delivery = new ArrayList<>();
                long deadline = posted + WAIT.toNanos();
                for (SseConnection viewer : viewers) {
                    // One deadline for all: a viewer's frames queue while the others are read.
                    Duration left = Duration.ofNanos(Math.max(deadline - System.nanoTime(), MIN_WAIT.toNanos()));
                    try {
                        Received item = viewer.readUntil(r -> r.event("new_item") != null, left).getLast();
                        delivery.add((item.atNanos() - posted) / 1e6);
                    } catch (SseTimeoutException missed) {
                        // not delivered to this viewer: the figure counts the viewers that got it
                    }
                }
                String note = VIEWERS + " viewers opened at once; " + preStarted + " SSE environments were running before"
                        + " the first one (pre-started)";
                bench.figures().add(new Figure("mi_environments_" + VIEWERS, "Managed Instances (local): SSE environments for "
                        + VIEWERS + " viewers", "environments", Stats.single(environments), Stats.NONE,
                        "≤ " + MAX_ENVIRONMENTS + ", all pre-started", environments <= MAX_ENVIRONMENTS && environments == preStarted,
                        note));
                bench.figures().add(new Figure("mi_refused_" + VIEWERS, "Managed Instances (local): viewers refused (429)", "viewers",
                        Stats.single(refused), Stats.NONE, "0", refused == 0, note));
                bench.figures().add(new Figure("mi_rss_" + VIEWERS, "Managed Instances (local): RSS of the SSE environments, "
                        + VIEWERS + " viewers", "MiB", Stats.single(rss), Stats.NONE, "< 1024 MiB in all", rss < 1024, note));
                bench.figures().add(new Figure("mi_delivery_" + VIEWERS, "Managed Instances (local): POST → new_item at each of "
                        + viewers.size() + " viewers", "ms", Stats.of(delivery), Stats.NONE, "every viewer gets it",
                        delivery.size() == viewers.size(), "poll interval 1000 ms; " + delivery.size() + " of " + viewers.size()
                        + " viewers got it within " + WAIT.toSeconds() + " s"));
            } finally {
                viewers.forEach(SseConnection::close);
            }
        }
    }
}

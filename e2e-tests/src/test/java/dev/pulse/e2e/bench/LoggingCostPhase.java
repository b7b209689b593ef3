package dev.pulse.e2e.bench;

import dev.pulse.e2e.client.PulseClient;
import dev.pulse.e2e.local.LocalPulseProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What logging costs: the same probes on two stacks that differ only in the functions' log level, INFO
 * (every request line, the stream lines, the metrics) and FATAL (no line is built), side by side. The probes take
 * turns, one block on each stack and again, so load from elsewhere on the machine falls on both. The stacks print
 * the lines raw (PULSE_LOG_FORMAT=json), as Lambda takes a function's stdout, so the local console's formatting is
 * not counted. Also the bytes written, which CloudWatch Logs bills by.
 */
final class LoggingCostPhase {

    /** One probe on both stacks. */
    record SideBySide(String id, String name, String unit, Stats on, Stats off, String note) {
    }

    enum Logging { ON, OFF }

    private static final int BLOCKS = 2;
    private static final int SAMPLES = 25;       // per block and stack: 50 per stack
    private static final int STREAM_SECONDS = 4;

    private final Bench bench;

    LoggingCostPhase(Bench bench) {
        this.bench = bench;
    }

    List<SideBySide> run() {
        bench.progress().accept("logging cost: two stacks, log level INFO and FATAL, same probes in turn");
        CompletableFuture<LocalPulseProcess> startOn = CompletableFuture.supplyAsync(() -> start("INFO"));
        CompletableFuture<LocalPulseProcess> startOff = CompletableFuture.supplyAsync(() -> start("FATAL"));
        Map<Logging, Samples> samples = new EnumMap<>(Logging.class);
        samples.put(Logging.ON, new Samples());
        samples.put(Logging.OFF, new Samples());
        try (LocalPulseProcess on = startOn.join(); LocalPulseProcess off = startOff.join()) {
            Map<Logging, PulseClient> clients = new EnumMap<>(Logging.class);
            clients.put(Logging.ON, BenchMain.client(on));
            clients.put(Logging.OFF, BenchMain.client(off));
            clients.values().forEach(LoggingCostPhase::warmUp);
            for (int block = 0; block < BLOCKS; block++) {
                for (Logging logging : Logging.values()) {
                    probe(clients.get(logging), samples.get(logging), logging + "" + block);
                }
            }
            return figures(samples, on);
        }
    }

    private LocalPulseProcess start(String level) {
        return BenchMain.start(bench.base().withEnv(Map.of("PULSE_LOG_LEVEL", level, "PULSE_LOG_FORMAT", "json",
                "SSE_POLL_INTERVAL_MS", "100", "SSE_HEARTBEAT_INTERVAL_SECONDS", "1",
                "SSE_MAX_STREAM_SECONDS", Integer.toString(STREAM_SECONDS))));
    }

    /** Both functions warm, the JIT of the client and the stack past their first requests. */
    private static void warmUp(PulseClient client) {
        ItemWriter writer = new ItemWriter(client);
        for (int i = 0; i < 10; i++) {
            RoundTrip.millis(client, "/api/v2/metrics");
            RoundTrip.millis(client, "/api/v2/stream/status");
            writer.post("WARMUP", i);
        }
    }

    private static final class Samples {
        final List<Double> post = new ArrayList<>();
        final List<Double> metrics = new ArrayList<>();
        final List<Double> status = new ArrayList<>();
        final List<Double> delivery = new ArrayList<>();
    }

    private void probe(PulseClient client, Samples s, String block) {
        for (int i = 0; i < SAMPLES; i++) {
            s.metrics.add(RoundTrip.millis(client, "/api/v2/metrics"));
            s.status.add(RoundTrip.millis(client, "/api/v2/stream/status"));
        }
        DeliveryProbe.Result delivery = DeliveryProbe.run(client, new ItemWriter(client), "LOG" + bench.runId() + block, SAMPLES,
                100, Duration.ofSeconds(STREAM_SECONDS - 1));
        s.delivery.addAll(delivery.deliveryMillis());
        s.post.addAll(delivery.postMillis());
    }

    private static List<SideBySide> figures(Map<Logging, Samples> samples, LocalPulseProcess on) {
        Samples yes = samples.get(Logging.ON);
        Samples no = samples.get(Logging.OFF);
        List<SideBySide> figures = new ArrayList<>();
        figures.add(new SideBySide("log_post", "POST /api/v2/items → 201", "ms", Stats.of(yes.post), Stats.of(no.post),
                "dashboard: one request line with ItemsIngested and IngestLatency (EMF)"));
        figures.add(new SideBySide("log_metrics", "GET /api/v2/metrics (dashboard)", "ms", Stats.of(yes.metrics),
                Stats.of(no.metrics), "one request line, no metric"));
        figures.add(new SideBySide("log_status", "GET /api/v2/stream/status (SSE)", "ms", Stats.of(yes.status),
                Stats.of(no.status), "one request line, no metric, no table"));
        figures.add(new SideBySide("log_delivery", "POST → new_item, poll 100 ms", "ms", Stats.of(yes.delivery),
                Stats.of(no.delivery), "the stream counts, takes lag and poll samples, writes its start and end lines"));
        long[] dashboard = bytesPer(on.logFile("dashboard"), "\"event\":\"request\"", "\"event\":\"request\"");
        // The SSE log also holds the /status probe's request lines: count only the streams' own lines.
        long[] sse = bytesPer(on.logFile("sse"), "\"event\":\"stream_", "\"event\":\"stream_end\"");
        figures.add(new SideBySide("log_bytes_request", "log bytes per dashboard request", "bytes",
                Stats.single(dashboard[1] == 0 ? 0 : (double) dashboard[0] / dashboard[1]), Stats.single(0),
                dashboard[1] + " request lines"));
        figures.add(new SideBySide("log_bytes_stream", "log bytes per stream (its start, progress and end lines)", "bytes",
                Stats.single(sse[1] == 0 ? 0 : (double) sse[0] / sse[1]), Stats.single(0),
                sse[1] + " streams of up to " + STREAM_SECONDS + " s, poll 100 ms"));
        return figures;
    }

    /** The bytes of the file's lines that contain {@code counted}, and the number of its lines that contain {@code per}. */
    private static long[] bytesPer(Path file, String counted, String per) {
        try {
            List<String> lines = Files.readAllLines(file);
            long bytes = lines.stream().filter(l -> l.contains(counted))
                    .mapToLong(l -> l.getBytes(StandardCharsets.UTF_8).length + 1).sum();
            return new long[] {bytes, lines.stream().filter(l -> l.contains(per)).count()};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

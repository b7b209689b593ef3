package dev.pulse.e2e.bench;

import dev.pulse.e2e.RepoRoot;
import dev.pulse.e2e.Targets;
import dev.pulse.e2e.client.ClientAuth;
import dev.pulse.e2e.client.PulseClient;
import dev.pulse.e2e.local.LocalPulseProcess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code make bench}: Pulse's streaming speed and cost on the local stack, each figure next to the
 * same measurement against {@link BaselineSseServer} (the loopback floor) taken in the same run.
 *
 * <p>Two local stacks, because the SSE settings are per function (as on Lambda):
 * <ul>
 *   <li><b>A</b> — default poll (1000 ms), max stream 840 s, heartbeat 1 s: delivery at the default
 *       poll, heartbeat precision, bursts, RSS;</li>
 *   <li><b>B</b> — poll 100 ms, max stream 4 s, heartbeat 1 s: streams end after 4 s, which frees
 *       their environments, so first-event time can be taken both on a warm idle environment and on
 *       a new one (opened while all others are busy); delivery at 100 ms.</li>
 * </ul>
 * Whether a stream open was cold is observed, not assumed: the stack's SSE environment processes
 * are counted before and after each open. Then {@link CostAndRotationPhase} takes the cost figures
 * (idle read cost, abandoned environments, rotations, a long replay) on stacks C, D, E: all of this is the phase
 * {@code streams}. {@link WritePathPhase} (phase {@code writes}) measures the write path on stack W: single items and
 * batches, 1 and {@code BENCH_WRITERS} writers. {@link ManagedInstancesPhase} (phase {@code managed-instances}) opens
 * 150 streams on the SSE function in Managed Instances mode. {@link LoggingCostPhase} (phase {@code logging}) takes
 * the logging figures: the same probes with the functions' logging on and off, side by side.
 *
 * <p>Environment: {@code BENCH_PHASES} (default {@code streams,writes,managed-instances,logging}: which phases run, e.g.
 * {@code BENCH_PHASES=writes}), {@code BENCH_BURST_ITEMS} (default 300: on moto, with every write a transaction on
 * the head record, 8 writers beside 10 streams get a few writes/s, so 1,000 items took ~5 minutes),
 * {@code BENCH_WRITERS} (default 8; the stacks' dashboard concurrency is set to match), {@code BENCH_OUT}
 * (default {@code target/bench}).
 */
public final class BenchMain {
    private static final String STREAM = "/api/v2/stream";
    private static final Duration HEARTBEAT = Duration.ofSeconds(1);
    private static final int B_MAX_STREAM_SECONDS = 4;
    static final String STREAMS = "streams";
    static final String WRITES = "writes";
    static final String MANAGED_INSTANCES = "managed-instances";
    static final String LOGGING = "logging";
    static final List<String> PHASES = List.of(STREAMS, WRITES, MANAGED_INSTANCES, LOGGING);
    /** The Makefile's module benches, run before this one: accepted in {@code BENCH_PHASES}, nothing to run here. */
    static final List<String> MODULE_PHASES = List.of("runtime", "environments", "coldstarts");

    private final Map<String, String> env = System.getenv();
    private final int burstItems = intEnv("BENCH_BURST_ITEMS", 300);
    private final int writers = intEnv("BENCH_WRITERS", 8);
    private final Path out = Path.of(env.getOrDefault("BENCH_OUT", "target/bench"));
    private final long runId = System.currentTimeMillis() % 100_000;
    private final long started = System.nanoTime();
    private final List<Figure> figures = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, String> phaseContext = new LinkedHashMap<>();
    private final List<String> phases = phases(env.get("BENCH_PHASES"));

    public static void main(String[] args) throws Exception {
        new BenchMain().run();
    }

    private void run() throws Exception {
        Path root = RepoRoot.find(env).orElseThrow(() -> new IllegalStateException(
                "run from inside the repository (or set PULSE_REPO_ROOT)"));
        Bench bench = new Bench(new LocalPulseProcess.Options(root, null, Map.of(), Duration.ofSeconds(120)), writers, runId,
                this::progress, figures, notes, phaseContext);
        progress("phases " + String.join(",", phases) + " (BENCH_PHASES; all of " + String.join(",", PHASES) + " by default)");
        if (phases.contains(STREAMS)) {
            streams(bench);
        }
        if (phases.contains(WRITES)) {
            new WritePathPhase(bench).run();
        }
        if (phases.contains(MANAGED_INSTANCES)) {
            new ManagedInstancesPhase(bench).run();
        }
        List<LoggingCostPhase.SideBySide> loggingCost = phases.contains(LOGGING)
                ? new LoggingCostPhase(bench).run() : List.of();
        size(root, "size_sse_zip", "sse-handler/target/sse-handler.zip", 10);
        size(root, "size_dashboard_jar", "dashboard-handler/target/dashboard-handler.jar", 15);

        Map<String, String> context = new LinkedHashMap<>();
        context.put("date", Instant.now().toString());
        context.put("machine", Runtime.getRuntime().availableProcessors() + " CPUs, " + System.getProperty("os.name")
                + " " + System.getProperty("os.arch") + ", JDK " + Runtime.version());
        context.put("phases", String.join(",", phases));
        if (cpuShare != null) {
            context.put("CPU", cpuShare);
        }
        context.put("DynamoDB", "moto (aws-emulators' DynamoDbEmulator), one per stack; C's, D's and W's started by the bench"
                + " (PULSE_DYNAMODB_ENDPOINT)");
        if (phases.contains(STREAMS)) {
            context.put("stack A", "SSE_POLL_INTERVAL_MS=1000 SSE_HEARTBEAT_INTERVAL_SECONDS=1 SSE_MAX_STREAM_SECONDS=840"
                    + " PULSE_SSE_CONCURRENCY=16 PULSE_DASHBOARD_CONCURRENCY=" + writers);
            context.put("stack B", "SSE_POLL_INTERVAL_MS=100 SSE_HEARTBEAT_INTERVAL_SECONDS=1 SSE_MAX_STREAM_SECONDS=" + B_MAX_STREAM_SECONDS
                    + " PULSE_SSE_CONCURRENCY=16");
        }
        context.putAll(phaseContext);
        if (phases.contains(STREAMS)) {
            context.put("burst items", burstItems + " (BENCH_BURST_ITEMS), " + writers + " writers (BENCH_WRITERS)");
        }
        context.put("duration", String.format(java.util.Locale.ROOT, "%.0f s", (System.nanoTime() - started) / 1e9));
        if (phases.contains(STREAMS) || phases.contains(WRITES)) {
            notes.add("Baseline: a minimal SSE server on the JDK HttpServer on loopback (same wire format and paths, "
                    + "events pushed on POST, no table, no polling), measured in the same run with the same client.");
        }
        notes.add("p99 is nearest-rank: with fewer than 100 samples it is the maximum.");
        if (phases.contains(LOGGING)) {
            context.put("logging cost", "stacks L-on and L-off: PULSE_LOG_LEVEL=INFO / FATAL, PULSE_LOG_FORMAT=json,"
                    + " SSE_POLL_INTERVAL_MS=100 SSE_HEARTBEAT_INTERVAL_SECONDS=1 SSE_MAX_STREAM_SECONDS=4; probes in turn, two blocks each");
        }
        Report report = new Report(context, figures, loggingCost, notes);
        report.write(out);
        System.out.println();
        System.out.print(report.table());
        System.out.println();
        System.out.println("Written: " + out.resolve("results.json") + ", " + out.resolve("results.md"));
    }

    /** Stacks A and B beside the baseline, then {@link CostAndRotationPhase}'s C, D and E: the stream figures. */
    private void streams(Bench bench) throws Exception {
        LocalPulseProcess.Options base = bench.base();
        progress("starting the baseline server and two local stacks (A: poll 1000 ms, B: poll 100 ms)");
        CompletableFuture<LocalPulseProcess> startA = CompletableFuture.supplyAsync(() -> start(base.withEnv(Map.of(
                "SSE_POLL_INTERVAL_MS", "1000", "SSE_HEARTBEAT_INTERVAL_SECONDS", "1",
                "SSE_MAX_STREAM_SECONDS", "840", "PULSE_SSE_CONCURRENCY", "16",
                "PULSE_DASHBOARD_CONCURRENCY", Integer.toString(writers)))));
        CompletableFuture<LocalPulseProcess> startB = CompletableFuture.supplyAsync(() -> start(base.withEnv(Map.of(
                "SSE_POLL_INTERVAL_MS", "100", "SSE_HEARTBEAT_INTERVAL_SECONDS", "1",
                "SSE_MAX_STREAM_SECONDS", Integer.toString(B_MAX_STREAM_SECONDS), "PULSE_SSE_CONCURRENCY", "16"))));
        try (BaselineSseServer baselineServer = new BaselineSseServer(HEARTBEAT.toMillis())) {
            PulseClient baseline = client(baselineServer);
            DeliveryProbe.Result baseDelivery;
            try (LocalPulseProcess a = startA.join()) {
                PulseClient pulseA = client(a);

                startB.join(); // both stacks up and idle: nothing else competes for the 2 cores while the floor is measured
                progress("baseline: first event, delivery");
                // Warm-up first: the client code (ours, the JDK's HttpClient) is JIT-compiled here, so the floor
                // is not inflated by the bench's own cold start. Pulse is measured later, after this.
                for (int i = 0; i < 40; i++) {
                    FirstEventProbe.millis(baseline, STREAM);
                }
                DeliveryProbe.run(baseline, new ItemWriter(baseline), "WARMUP", 40, 0, Duration.ofDays(1));
                List<Double> baseTtfe = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    baseTtfe.add(FirstEventProbe.millis(baseline, STREAM));
                }
                baseDelivery = DeliveryProbe.run(baseline, new ItemWriter(baseline), "BASE",
                        30, 100, Duration.ofDays(1));
                List<Double> baseRtt = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    baseRtt.add(RoundTrip.millis(baseline, "/api/v2/stream/status"));
                }

                List<Double> sseInit = new ArrayList<>();
                List<Double> dashInit = new ArrayList<>();
                try (LocalPulseProcess b = startB.join()) {
                    PulseClient pulseB = client(b);
                    progress("stack B: first event on warm and new environments");
                    List<Double> warm = new ArrayList<>();
                    List<Double> cold = new ArrayList<>();
                    firstEvents(pulseB, b.pid(), warm, cold);
                    figures.add(new Figure("ttfe_warm", "first event, warm env", "ms", Stats.of(warm), Stats.of(baseTtfe),
                            "median ≤ 3× baseline and < 50 ms", Stats.of(warm).median() <= 3 * Stats.of(baseTtfe).median()
                            && Stats.of(warm).median() < 50,
                            "GET /api/v2/stream on an idle warm environment → first event (retry + metrics snapshot, read from DynamoDB)"));
                    figures.add(new Figure("ttfe_cold", "first event, new env", "ms", Stats.of(cold), Stats.of(baseTtfe),
                            "median < 1500 ms", Stats.of(cold).median() < 1500,
                            "opened while every existing SSE environment was busy: JVM start + init + first event"));

                    progress("stack B: delivery at poll 100 ms");
                    DeliveryProbe.Result d100 = DeliveryProbe.run(pulseB, new ItemWriter(pulseB), "BENCH" + runId + "B",
                            60, 100, Duration.ofSeconds(B_MAX_STREAM_SECONDS - 1));
                    figures.add(new Figure("delivery_poll_100", "POST → new_item, poll 100 ms", "ms",
                            Stats.of(d100.deliveryMillis()), Stats.of(baseDelivery.deliveryMillis()), "p99 ≤ 200 ms",
                            Stats.of(d100.deliveryMillis()).p99() <= 200, "from sending the POST to the event at the client"));
                    sseInit.addAll(Environments.initMillis(b.pid(), Environments.Function.SSE));
                    dashInit.addAll(Environments.initMillis(b.pid(), Environments.Function.DASHBOARD));
                }

                progress("stack A: delivery at the default poll (1000 ms); also warms both functions up");
                DeliveryProbe.Result d1000 = DeliveryProbe.run(pulseA, new ItemWriter(pulseA), "BENCH" + runId + "A",
                        20, 1000, Duration.ofDays(1));
                figures.add(new Figure("delivery_poll_1000", "POST → new_item, poll 1000 ms", "ms",
                        Stats.of(d1000.deliveryMillis()), Stats.of(baseDelivery.deliveryMillis()), "p99 ≤ 1100 ms",
                        Stats.of(d1000.deliveryMillis()).p99() <= 1100, "random 0–1000 ms pause before each write (spread over the poll cycle)"));
                figures.add(new Figure("post_latency", "POST /api/v2/items → 201", "ms", Stats.of(d1000.postMillis()),
                        Stats.of(baseDelivery.postMillis()), "", null,
                        "dashboard (BUFFERED, one DynamoDB transaction on moto); part of every delivery figure"));
                progress("stack A: request round trips without a stream (to split the first-event time)");
                RoundTrip.millis(pulseA, "/api/v2/stream/status"); // may start an environment: not counted
                List<Double> statusRtt = new ArrayList<>();
                List<Double> metricsRtt = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    statusRtt.add(RoundTrip.millis(pulseA, "/api/v2/stream/status"));
                    metricsRtt.add(RoundTrip.millis(pulseA, "/api/v2/metrics"));
                }
                figures.add(new Figure("rtt_sse_status", "GET /api/v2/stream/status (SSE, no table)", "ms",
                        Stats.of(statusRtt), Stats.of(baseRtt), "", null,
                        "Function URL emulator + Runtime API + the SSE runtime, without DynamoDB; baseline: the minimal server's status JSON."
                        + " ~40 ms of it is Nagle + delayed ACK in the local Function URL emulator (JDK HttpServer without"
                        + " TCP_NODELAY, keep-alive connection): ~10 ms with -Dsun.net.httpserver.nodelay=true on the stack's JVM"));
                figures.add(new Figure("rtt_dashboard_metrics", "GET /api/v2/metrics (dashboard, two reads)", "ms",
                        Stats.of(metricsRtt), Stats.of(baseRtt), "", null,
                        "BUFFERED URL + the runtime interface client + two moto reads (GetItem of the head, Query of the tag counters);"
                        + " baseline: the minimal server's status JSON"));
                List<Double> rssSseWarm = Environments.rss(a.pid(), Environments.Function.SSE);
                List<Double> rssDashWarm = Environments.rss(a.pid(), Environments.Function.DASHBOARD);

                progress("stack A: heartbeat precision (idle streams, 1 s interval), with the baseline alongside");
                CompletableFuture<List<Double>> baseBeat = CompletableFuture.supplyAsync(
                        () -> HeartbeatProbe.deviations(baseline, STREAM + "?tags=IDLE", 10, HEARTBEAT));
                List<Double> beat = HeartbeatProbe.deviations(pulseA, STREAM + "?tags=IDLE" + runId, 10, HEARTBEAT);
                figures.add(new Figure("heartbeat_deviation", "heartbeat: deviation of idle gaps from 1 s", "ms", Stats.of(beat),
                        Stats.of(baseBeat.join()), "p99 ≤ 50 ms", Stats.of(beat).p99() <= 50,
                        "idle stream, nothing written meanwhile"));

                List<Double> concurrentSseInit = List.of();
                for (int streams : new int[]{1, 10}) {
                    int initsBefore = Environments.initMillis(a.pid(), Environments.Function.SSE).size();
                    progress("burst: " + burstItems + " items, " + streams + " stream(s), " + writers + " writers");
                    BurstProbe.Result bb = BurstProbe.run(baseline, "BURST" + streams, burstItems, streams, writers,
                            Duration.ofSeconds(30));
                    Map<Environments.Function, Double> cpuBefore = cpu(a.pid());
                    long wallBefore = System.nanoTime();
                    BurstProbe.Result pb = BurstProbe.run(pulseA, "BURST" + runId + "S" + streams, burstItems, streams,
                            writers, Duration.ofSeconds(60));
                    double wall = (System.nanoTime() - wallBefore) / 1e9;
                    Map<Environments.Function, Double> cpuAfter = cpu(a.pid());
                    StringBuilder cores = new StringBuilder("CPU cores kept busy during the whole burst (open + write + deliver, "
                            + String.format(java.util.Locale.ROOT, "%.0f", wall) + " s):");
                    for (Environments.Function f : Environments.Function.values()) {
                        cores.append(String.format(java.util.Locale.ROOT, " %s %.2f",
                                f.name().toLowerCase(java.util.Locale.ROOT), (cpuAfter.get(f) - cpuBefore.get(f)) / wall));
                    }
                    notes.add(streams + "-stream burst: " + cores + " (of 2; moto is one Python process, i.e. at most ~1 core)");
                    boolean complete = pb.missing() == 0 && pb.duplicates() == 0;
                    double maxLag = pb.lagMillis().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
                    figures.add(new Figure("burst_lag_" + streams, "burst: last write → last event, " + streams + " stream(s)",
                            "ms", Stats.of(pb.lagMillis()), Stats.of(bb.lagMillis()),
                            streams == 10 ? "max ≤ 5000 ms, none lost" : "", streams == 10 ? maxLag <= 5000 && complete : null,
                            String.format(java.util.Locale.ROOT, "%d items; samples = streams; missing %d, duplicates %d; %d × 429, %d × 503 retried",
                                    pb.items(), pb.missing(), pb.duplicates(), pb.throttled(), pb.unavailable())));
                    if (streams == 10) {
                        List<Double> all = Environments.initMillis(a.pid(), Environments.Function.SSE);
                        concurrentSseInit = all.subList(initsBefore, all.size());
                        sseInit.addAll(all.subList(0, initsBefore));
                    }
                    figures.add(new Figure("burst_events_per_s_" + streams, "burst: events/s delivered, " + streams + " stream(s)",
                            "events/s", Stats.single(pb.eventsPerSecond()), Stats.single(bb.eventsPerSecond()), "", null,
                            "all streams' events / (last event − first write)"));
                    figures.add(new Figure("burst_writes_per_s_" + streams, "burst: writes/s accepted, " + streams + " stream(s)",
                            "items/s", Stats.single(pb.writesPerSecond()), Stats.single(bb.writesPerSecond()), "", null,
                            writers + " concurrent writers; " + String.format(java.util.Locale.ROOT, "%.1f", pb.writeSeconds())
                                    + " s of writes"));
                }

                String unavailable = CostAndRotationPhase.unavailableNote("stack A", a.pid());
                if (unavailable != null) {
                    notes.add(unavailable);
                }
                List<Double> rssSseBurst = Environments.rss(a.pid(), Environments.Function.SSE);
                List<Double> rssDashBurst = Environments.rss(a.pid(), Environments.Function.DASHBOARD);
                rss("rss_sse_warm", "RSS per SSE env, after warm-up", rssSseWarm);
                rss("rss_dashboard_warm", "RSS per dashboard env, after warm-up", rssDashWarm);
                rss("rss_sse_burst", "RSS per SSE env, after bursts", rssSseBurst);
                rss("rss_dashboard_burst", "RSS per dashboard env, after bursts", rssDashBurst);

                dashInit.addAll(Environments.initMillis(a.pid(), Environments.Function.DASHBOARD));
                figures.add(new Figure("init_sse", "SSE env start → first /next", "ms", Stats.of(sseInit), Stats.NONE, "",
                        null, "the local stack's 'ready (init N ms)': process start until the runtime's first invocation/next"
                        + " got an invocation; one start at a time (both stacks)"));
                figures.add(new Figure("init_sse_concurrent", "SSE env start → first /next, 10 at once", "ms",
                        Stats.of(concurrentSseInit), Stats.NONE, "", null,
                        "the 10 environments the 10-stream burst started together on 2 cores"));
                figures.add(new Figure("init_dashboard", "dashboard env start → first /next", "ms", Stats.of(dashInit),
                        Stats.NONE, "", null, "same, for the dashboard under the official runtime interface client; includes starts that overlapped"
                        + " (the two stacks start together; " + writers + " burst writers start several environments at once)"));
            }
            new CostAndRotationPhase(bench).run(baseDelivery);
        }
    }

    /**
     * Rounds of {@code OPENS} sequential opens, each stream closed by the client once its first event
     * arrived (its environment stays busy until the server ends it after {@link #B_MAX_STREAM_SECONDS}).
     * In round 1 every open after the first finds all environments busy: new environment. In later
     * rounds, after the streams ended, each open finds an idle warm one.
     */
    private void firstEvents(PulseClient client, long stackPid, List<Double> warm, List<Double> cold) {
        final int rounds = 3;
        final int opens = 6;
        FirstEventProbe.millis(client, STREAM); // the client's first connection
        DeliveryProbe.sleep(B_MAX_STREAM_SECONDS * 1000L + 700);
        for (int round = 0; round < rounds; round++) {
            long lastOpen = 0;
            for (int i = 0; i < opens; i++) {
                long before = Environments.count(stackPid, Environments.Function.SSE);
                lastOpen = System.nanoTime();
                double ms = FirstEventProbe.millis(client, STREAM);
                long after = Environments.count(stackPid, Environments.Function.SSE);
                (after > before ? cold : warm).add(ms);
            }
            long wait = lastOpen + Duration.ofSeconds(B_MAX_STREAM_SECONDS).toNanos() + 700_000_000L - System.nanoTime();
            DeliveryProbe.sleep(Math.max(0, wait / 1_000_000));
        }
    }

    private static Map<Environments.Function, Double> cpu(long stackPid) {
        Map<Environments.Function, Double> m = new java.util.EnumMap<>(Environments.Function.class);
        for (Environments.Function f : Environments.Function.values()) {
            m.put(f, Environments.cpuSeconds(stackPid, f));
        }
        return m;
    }

    private void rss(String id, String name, List<Double> mb) {
        figures.add(new Figure(id, name, "MiB", Stats.of(mb), Stats.NONE, "max ≤ 150 MiB",
                mb.isEmpty() ? null : mb.stream().mapToDouble(Double::doubleValue).max().orElse(0) <= 150,
                "VmRSS of each environment process of stack A (samples = environments)"));
    }

    private void size(Path root, String id, String file, int limitMb) throws java.io.IOException {
        Path p = root.resolve(file);
        double mb = Files.size(p) / 1024.0 / 1024.0;
        figures.add(new Figure(id, file, "MiB", Stats.single(mb), Stats.NONE, "≤ " + limitMb + " MiB", mb <= limitMb, ""));
    }

    /** A stack for the bench (the phases start theirs here too); an IOException becomes unchecked, for futures. */
    static LocalPulseProcess start(LocalPulseProcess.Options options) {
        try {
            LocalPulseProcess stack = LocalPulseProcess.start(options);
            if (cpuShare == null) {
                cpuShare = stack.console().lines().filter(line -> line.startsWith("[local] CPU share"))
                        .map(line -> line.substring("[local] ".length())).findFirst().orElse(null);
            }
            return stack;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** What the first stack said of Lambda's CPU share: emulated, or not and why (the report says which it measured). */
    private static volatile String cpuShare;

    /** A client of a bench stack: they run without a write key. */
    static PulseClient client(LocalPulseProcess stack) {
        return new PulseClient(stack.targets(), ClientAuth.NONE);
    }

    /** A client of the baseline server, which answers on both paths' URL. */
    static PulseClient client(BaselineSseServer baseline) {
        return new PulseClient(new Targets(baseline.url(), baseline.url(), "baseline", List.of()), ClientAuth.NONE);
    }

    private void progress(String what) {
        System.err.printf("[bench %5.1f s] %s%n", (System.nanoTime() - started) / 1e9, what);
    }

    /**
     * {@code BENCH_PHASES}: a comma-separated subset of {@link #PHASES} and {@link #MODULE_PHASES} (the Makefile's
     * module benches, run before this), in any order; empty or unset = all of them.
     */
    static List<String> phases(String setting) {
        if (setting == null || setting.isBlank()) {
            return PHASES;
        }
        List<String> chosen = new ArrayList<>();
        for (String phase : setting.split(",")) {
            String name = phase.strip().toLowerCase(java.util.Locale.ROOT);
            if (!PHASES.contains(name) && !MODULE_PHASES.contains(name)) {
                throw new IllegalArgumentException("BENCH_PHASES: unknown phase '" + phase.strip() + "'; the phases are "
                        + String.join(", ", MODULE_PHASES) + ", " + String.join(", ", PHASES));
            }
            chosen.add(name);
        }
        return PHASES.stream().filter(chosen::contains).toList();
    }

    private int intEnv(String name, int fallback) {
        String v = env.get(name);
        return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
    }

}

package dev.pulse.e2e.bench;

import dev.pulse.e2e.client.PulseClient;
import dev.pulse.e2e.local.LocalPulseProcess;
import dev.pulse.emulators.DynamoDbEmulator;
import dev.pulse.testing.FaultyDynamoProxy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The write path, on a stack of its own, <b>W</b>: the SSE defaults, {@code PULSE_DASHBOARD_CONCURRENCY} = the
 * writers, its moto behind a counting proxy. Single items and batches of {@value #BATCH}, from 1 writer and from
 * {@code writers} writers, side by side: items/s, POST → answer (p50, p99), the 429 and 503 answers (retried with the
 * same key), and TransactWriteItems per POST. Also single items without an {@code Idempotency-Key}, beside the same
 * with one: what a key's claim record (one more action in the write's transaction) costs. Each set also runs on the
 * baseline server (the same client and loopback, no function, no table) right after it on W: the floor, in the same
 * run. The sets run in turn, {@value #ROUNDS} rounds of each, so that load from outside falls on all of them alike. {@code BENCH_PHASES=writes}
 * runs this phase alone (1-2 minutes).
 */
final class WritePathPhase {
    static final int BATCH = 25;
    static final int ROUNDS = 3;
    /**
     * Idle time before each round, which starts with 1 writer after the previous round's many: a write that lost a
     * race makes the next writes in its environment queue behind the waiting ones for up to 32 round trips, and a
     * round's first figures should not carry the last round's contention.
     */
    private static final long IDLE_BEFORE_ROUND_MS = 3_000;
    /** p99 of POST → 201 with {@code writers} single writers, on the local stack. */
    static final double SINGLE_P99_TARGET_MS = 2_000;
    /** Batches of {@value #BATCH} store at least this many times the items/s of single items, both from {@code writers} writers. */
    static final double BATCH_GAIN_TARGET = 10;

    /** One set: its POSTs per round, their shape and how many writers send them. */
    private record Load(String id, String name, int posts, int writers, WriteRateProbe.Shape shape) {
    }

    /** What one set measured over all its rounds. */
    private record Measured(List<Double> itemsPerSecond, List<Double> postMillis, int throttled, int unavailable,
                            long transactions, int posts) {
        double transactionsPerPost() {
            return transactions / (double) posts;
        }
    }

    private final Bench bench;
    private final int writers;

    WritePathPhase(Bench bench) {
        this.bench = bench;
        this.writers = bench.writers();
    }

    void run() throws Exception {
        bench.progress().accept("stack W (the write path): single items and batches of " + BATCH + ", 1 and " + writers
                + " writers, " + ROUNDS + " rounds");
        List<Load> sets = List.of(
                new Load("single_1", "single items, 1 writer", 50, 1, WriteRateProbe.Shape.SINGLE),
                new Load("single_without_key_1", "single items without Idempotency-Key, 1 writer", 50, 1,
                        WriteRateProbe.Shape.SINGLE_WITHOUT_KEY),
                new Load("single_" + writers, "single items, " + writers + " writers", 15 * writers, writers,
                        WriteRateProbe.Shape.SINGLE),
                new Load("batch" + BATCH + "_1", "batches of " + BATCH + ", 1 writer", 10, 1, WriteRateProbe.Shape.batch(BATCH)),
                new Load("batch" + BATCH + "_" + writers, "batches of " + BATCH + ", " + writers + " writers", 3 * writers,
                        writers, WriteRateProbe.Shape.batch(BATCH)));
        try (DynamoDbEmulator table = DynamoDbEmulator.start();
             FaultyDynamoProxy counted = FaultyDynamoProxy.in(table.endpoint());
             LocalPulseProcess w = BenchMain.start(bench.base().withEnv(Map.of(
                     "PULSE_DYNAMODB_ENDPOINT", counted.endpoint().toString(),
                     "PULSE_TABLE", "pulse-bench-writes",
                     "PULSE_DASHBOARD_CONCURRENCY", Integer.toString(writers),
                     "PULSE_SSE_CONCURRENCY", "1")));
             BaselineSseServer baselineServer = new BaselineSseServer(30_000)) {
            PulseClient client = BenchMain.client(w);
            PulseClient baseline = BenchMain.client(baselineServer);
            bench.context().put("stack W", "the SSE defaults, PULSE_DASHBOARD_CONCURRENCY=" + writers + " PULSE_SSE_CONCURRENCY=1,"
                    + " its moto behind a counting proxy");
            String tag = "W" + bench.runId();
            // Starts every dashboard environment and warms both shapes up: not counted.
            WriteRateProbe.run(client, tag, 5 * writers, writers, WriteRateProbe.Shape.SINGLE);
            WriteRateProbe.run(client, tag, 2 * writers, writers, WriteRateProbe.Shape.batch(BATCH));
            WriteRateProbe.run(baseline, tag, 5 * writers, writers, WriteRateProbe.Shape.SINGLE);
            WriteRateProbe.run(baseline, tag, 2 * writers, writers, WriteRateProbe.Shape.batch(BATCH));

            Map<Load, List<WriteRateProbe.Result>> results = new LinkedHashMap<>();
            Map<Load, List<WriteRateProbe.Result>> baseResults = new LinkedHashMap<>();
            Map<Load, Long> transactions = new LinkedHashMap<>();
            for (int round = 1; round <= ROUNDS; round++) {
                Thread.sleep(IDLE_BEFORE_ROUND_MS);
                for (Load set : sets) {
                    long before = counted.count("TransactWriteItems");
                    results.computeIfAbsent(set, s -> new ArrayList<>())
                            .add(WriteRateProbe.run(client, tag, set.posts(), set.writers(), set.shape()));
                    transactions.merge(set, counted.count("TransactWriteItems") - before, Long::sum);
                    baseResults.computeIfAbsent(set, s -> new ArrayList<>())
                            .add(WriteRateProbe.run(baseline, tag, set.posts(), set.writers(), set.shape()));
                }
                bench.progress().accept("stack W: round " + round + " of " + ROUNDS + " done");
            }
            Map<String, Measured> measured = new LinkedHashMap<>();
            results.forEach((set, rounds) -> measured.put(set.id(), measure(rounds, transactions.get(set), set.posts())));
            Map<String, Measured> baseMeasured = new LinkedHashMap<>();
            baseResults.forEach((set, rounds) -> baseMeasured.put(set.id(), measure(rounds, 0, set.posts())));
            figures(sets, measured, baseMeasured);
            String unavailable = CostAndRotationPhase.unavailableNote("stack W", w.pid());
            if (unavailable != null) {
                bench.notes().add(unavailable);
            }
        }
    }

    private static Measured measure(List<WriteRateProbe.Result> rounds, long transactions, int postsPerRound) {
        List<Double> rates = new ArrayList<>();
        List<Double> millis = new ArrayList<>();
        int throttled = 0;
        int unavailable = 0;
        for (WriteRateProbe.Result r : rounds) {
            rates.add(r.itemsPerSecond());
            millis.addAll(r.postMillis());
            throttled += r.throttled();
            unavailable += r.unavailable();
        }
        return new Measured(rates, millis, throttled, unavailable, transactions, postsPerRound * rounds.size());
    }

    private void figures(List<Load> sets, Map<String, Measured> measured, Map<String, Measured> baseMeasured) {
        Measured singles = measured.get("single_" + writers);
        Measured batches = measured.get("batch" + BATCH + "_" + writers);
        double gain = Stats.of(batches.itemsPerSecond()).median() / Stats.of(singles.itemsPerSecond()).median();
        for (Load set : sets) {
            Measured m = measured.get(set.id());
            boolean batchSet = set.id().equals("batch" + BATCH + "_" + writers);
            String note = String.format(Locale.ROOT, "%d rounds of %d POSTs of %s; %.2f TransactWriteItems per"
                            + " POST; %d × 429 and %d × 503 retried with the same key",
                    ROUNDS, set.posts(), set.shape().size() == 1 ? "1 item" : set.shape().size() + " items",
                    m.transactionsPerPost(), m.throttled(), m.unavailable());
            bench.figures().add(new Figure("write_items_per_s_" + set.id(), "items/s, " + set.name(), "items/s",
                    Stats.of(m.itemsPerSecond()), Stats.of(baseMeasured.get(set.id()).itemsPerSecond()),
                    batchSet ? "≥ " + (int) BATCH_GAIN_TARGET + "× single items, " + writers + " writers" : "",
                    batchSet ? gain >= BATCH_GAIN_TARGET : null,
                    batchSet ? note + String.format(Locale.ROOT, "; %.1f× the single items' median", gain) : note));
        }
        for (Load set : sets) {
            Measured m = measured.get(set.id());
            boolean singleSet = set.id().equals("single_" + writers);
            bench.figures().add(new Figure("write_post_ms_" + set.id(), "POST → 201, " + set.name(), "ms",
                    Stats.of(m.postMillis()), Stats.of(baseMeasured.get(set.id()).postMillis()),
                    singleSet ? "p99 ≤ " + (int) SINGLE_P99_TARGET_MS + " ms" : "",
                    singleSet ? Stats.of(m.postMillis()).p99() <= SINGLE_P99_TARGET_MS : null,
                    "send → 201 (200 for a retry that found the earlier write), retries of 429 and 503 included"));
        }
        bench.figures().add(new Figure("write_503_single_" + writers, "503 answers, single items, " + writers + " writers",
                "answers", Stats.single(singles.unavailable()), Stats.NONE, "none", singles.unavailable() == 0,
                "a 503 is a write that did not get its turn on the head before its deadline (the invocation's time less 1 s)"));
    }
}

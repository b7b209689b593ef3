package dev.pulse.local;

import dev.pulse.local.lambda.CpuShares;
import dev.pulse.testing.DynamoDbEmulator;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code make bench}, cold starts as viewers feel them: both functions' real artifacts on the local stack, each
 * environment held to its memory's share of a vCPU during invocations (init unlimited, as Lambda bursts it), at 256,
 * 512, 1,024 and 1,769 MB, without and with the functions' priming. For each: init, from the environment's start to
 * its first {@code /next}, and the first invocation, from {@code /next} to its answer's first byte (the SSE stream's
 * prelude and first event; the dashboard's whole buffered answer to {@code GET /api/v2/metrics}). Times come from the
 * emulator's own lines. Environment: {@code BENCH_COLD_RUNS} (3), {@code BENCH_COLD_MEMORY} (256,512,1024,1769),
 * {@code BENCH_OUT} (target/bench; run from the repository).
 */
public final class ColdStartBench {

    private static final Pattern READY = Pattern.compile("^\\[(sse|dashboard)] env \\d+: ready \\(init (\\d+) ms");
    private static final Pattern FIRST = Pattern.compile("^\\[(sse|dashboard)] env \\d+: first invocation answered (\\d+) ms");
    private static final Duration WAIT = Duration.ofSeconds(60);

    record Sample(String function, int memoryMb, boolean priming, long initMs, long firstMs) {
    }

    private final List<String> out = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        new ColdStartBench().run();
    }

    private void run() throws Exception {
        int runs = Integer.parseInt(System.getenv().getOrDefault("BENCH_COLD_RUNS", "3"));
        List<Integer> memories = new ArrayList<>();
        for (String m : System.getenv().getOrDefault("BENCH_COLD_MEMORY", "256,512,1024,1769").split(",")) {
            memories.add(Integer.parseInt(m.strip()));
        }
        CpuShares probe = CpuShares.detect("pulse-local-probe-" + ProcessHandle.current().pid());
        probe.close();
        List<Sample> samples = new ArrayList<>();
        try (DynamoDbEmulator table = DynamoDbEmulator.start()) {
            for (int memory : memories) {
                for (boolean priming : List.of(false, true)) {
                    for (int run = 0; run < runs; run++) {
                        System.out.printf("[bench] cold start at %d MB, priming %s, run %d%n", memory, priming ? "on" : "off", run + 1);
                        samples.addAll(coldStart(table, memory, priming));
                    }
                }
            }
        }
        print("");
        print("cold starts under Lambda's CPU share (" + (probe.available() ? "emulated: " + probe.description()
                : "NOT emulated here: " + probe.description() + "; the figures are unthrottled") + "), " + runs + " runs each:"
                + " median [min..max]");
        print(String.format(Locale.ROOT, "%-10s %7s %6s %9s %24s %32s", "function", "memory", "vCPU", "priming",
                "init (start -> /next)", "first invocation (/next -> answer)"));
        for (String function : List.of("sse", "dashboard")) {
            for (int memory : memories) {
                for (boolean priming : List.of(false, true)) {
                    List<Sample> these = samples.stream().filter(s -> s.function().equals(function)
                            && s.memoryMb() == memory && s.priming() == priming).toList();
                    print(String.format(Locale.ROOT, "%-10s %4d MB %6.3f %9s %24s %32s", function, memory,
                            CpuShares.onDemandVcpus(memory), priming ? "on" : "off",
                            spread(these.stream().map(Sample::initMs).toList()),
                            spread(these.stream().map(Sample::firstMs).toList())));
                }
            }
        }
        Path dir = Path.of(System.getenv().getOrDefault("BENCH_OUT", "target/bench"));
        Files.createDirectories(dir);
        Files.write(dir.resolve("cold-starts.txt"), out);
        print("(written to " + dir.resolve("cold-starts.txt") + ")");
    }

    /** One stack, its two functions started cold by one request each, one after the other. */
    private static List<Sample> coldStart(DynamoDbEmulator table, int memory, boolean priming) throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        LocalPulseConfig config = RealArtifacts.config(Files.createTempDirectory("pulse-bench-").resolve("outputs.json"),
                Map.of("PULSE_FUNCTION_MEMORY_MB", Integer.toString(memory), "PULSE_CPU_SHARE", "on",
                        "PULSE_PRIMING", priming ? "on" : "off", "PULSE_DYNAMODB_ENDPOINT", table.endpoint().toString(),
                        "SSE_MAX_STREAM_SECONDS", "1"));
        try (LocalPulse stack = LocalPulse.start(config, lines::add)) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(stack.url("sse").resolve("api/v2/stream"))
                    .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofInputStream());
            stream.body().readAllBytes();   // the stream ends after a second; its first answer's line comes then
            URI metrics = stack.url("dashboard").resolve("api/v2/metrics");
            http.send(HttpRequest.newBuilder(metrics).timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
            List<Sample> samples = new ArrayList<>();
            for (String function : List.of("sse", "dashboard")) {
                samples.add(new Sample(function, memory, priming, await(lines, READY, function), await(lines, FIRST, function)));
            }
            return samples;
        }
    }

    private static long await(List<String> lines, Pattern pattern, String function) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            for (String line : lines) {
                Matcher m = pattern.matcher(line);
                if (m.find() && m.group(1).equals(function)) {
                    return Long.parseLong(m.group(2));
                }
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("no line like " + pattern + " for " + function + " in:\n" + String.join("\n", lines));
    }

    private static String spread(List<Long> millis) {
        if (millis.isEmpty()) {
            return "-";
        }
        long[] sorted = millis.stream().mapToLong(Long::longValue).sorted().toArray();
        return String.format(Locale.ROOT, "%5d ms [%d..%d]", sorted[sorted.length / 2], sorted[0], sorted[sorted.length - 1]);
    }

    private void print(String line) {
        System.out.println(line);
        out.add(line);
    }
}

package dev.pulse.local;

import dev.pulse.emulators.DynamoDbEmulator;
import dev.pulse.emulators.CpuShares;

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
 * 512, 1,024 and 1,769 MB: without the functions' priming, with it, and with it under full tiered compilation
 * ({@code JAVA_TOOL_OPTIONS=-XX:TieredStopAtLevel=4} over both functions' C1-only default). For each: init, from the
 * environment's start to its first {@code /next}, and the first invocation, from {@code /next} to its answer's first
 * byte (the SSE stream's prelude and first event; the dashboard's whole buffered answer to {@code GET
 * /api/v2/metrics}), both from the emulator's own lines; then the median of {@value #WARM} warm requests to each
 * (the SSE status, the dashboard's metrics), from the client. Last, the curve of latency against dollars per memory
 * size. Environment: {@code BENCH_COLD_RUNS} (3), {@code BENCH_COLD_MEMORY} (256,512,1024,1769), {@code BENCH_OUT}
 * (target/bench; run from the repository).
 */
public final class ColdStartBench {

    private static final Pattern READY = Pattern.compile("^\\[(sse|dashboard)] env \\d+: ready \\(init (\\d+) ms");
    private static final Pattern FIRST = Pattern.compile("^\\[(sse|dashboard)] env \\d+: first invocation answered (\\d+) ms");
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int WARM = 20;
    /** us-east-1, arm64, as docs/deploy.md quotes them: duration per GB-second, requests per million. */
    private static final double GB_SECOND = 0.0000133334;
    private static final double PER_MILLION_REQUESTS = 0.20;

    /** How the functions start: with or without priming, C1 only (their default) or full tiered compilation. */
    record Setup(boolean priming, boolean tiered) {
        String label() {
            return (priming ? "primed" : "unprimed") + (tiered ? ", C1+C2" : ", C1");
        }
    }

    static final List<Setup> SETUPS = List.of(new Setup(false, false), new Setup(true, false), new Setup(true, true));

    record Sample(String function, int memoryMb, Setup setup, long initMs, long firstMs, double warmMs) {
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
                for (Setup setup : SETUPS) {
                    for (int run = 0; run < runs; run++) {
                        System.out.printf("[bench] cold start at %d MB, %s, run %d%n", memory, setup.label(), run + 1);
                        samples.addAll(coldStart(table, memory, setup));
                    }
                }
            }
        }
        print("");
        print("cold starts under Lambda's CPU share (" + (probe.available() ? "emulated: " + probe.description()
                : "NOT emulated here: " + probe.description() + "; the figures are unthrottled") + "), " + runs + " runs each:"
                + " median [min..max]");
        print(String.format(Locale.ROOT, "%-10s %7s %6s %-16s %24s %34s %12s", "function", "memory", "vCPU", "start",
                "init (start -> /next)", "first invocation (/next -> answer)", "warm median"));
        for (String function : List.of("sse", "dashboard")) {
            for (int memory : memories) {
                for (Setup setup : SETUPS) {
                    List<Sample> these = these(samples, function, memory, setup);
                    print(String.format(Locale.ROOT, "%-10s %4d MB %6.3f %-16s %24s %34s %9.1f ms", function, memory,
                            CpuShares.onDemandVcpus(memory), setup.label(),
                            spread(these.stream().map(Sample::initMs).toList()),
                            spread(these.stream().map(Sample::firstMs).toList()),
                            median(these.stream().map(Sample::warmMs).toList())));
                }
            }
        }
        print("");
        print("latency against dollars (primed, C1; arm64 us-east-1: $" + GB_SECOND + " per GB-second, $"
                + PER_MILLION_REQUESTS + " per million requests):");
        print(String.format(Locale.ROOT, "%7s %6s %22s %16s %22s %20s %22s", "memory", "vCPU", "SSE cold first byte",
                "SSE $/viewer-h", "dashboard cold answer", "dashboard warm", "dashboard $/M requests"));
        Setup primed = new Setup(true, false);
        for (int memory : memories) {
            double sseCold = median(these(samples, "sse", memory, primed).stream().map(x -> (double) x.initMs() + x.firstMs()).toList());
            List<Sample> dashboard = these(samples, "dashboard", memory, primed);
            double dashboardCold = median(dashboard.stream().map(x -> (double) x.initMs() + x.firstMs()).toList());
            double dashboardWarm = median(dashboard.stream().map(Sample::warmMs).toList());
            double gb = memory / 1024.0;
            print(String.format(Locale.ROOT, "%4d MB %6.3f %19.0f ms %16.4f %19.0f ms %17.1f ms %22.2f", memory,
                    CpuShares.onDemandVcpus(memory), sseCold, gb * 3600 * GB_SECOND, dashboardCold, dashboardWarm,
                    1e6 * gb * Math.ceil(dashboardWarm) / 1000 * GB_SECOND + PER_MILLION_REQUESTS));
        }
        print("(cold: init + first invocation, an environment's whole start as its first client waits for it; the"
                + " dashboard's dollars bill its warm median, rounded up to the millisecond as Lambda does)");
        Path dir = Path.of(System.getenv().getOrDefault("BENCH_OUT", "target/bench"));
        Files.createDirectories(dir);
        Files.write(dir.resolve("cold-starts.txt"), out);
        print("(written to " + dir.resolve("cold-starts.txt") + ")");
    }

    private static List<Sample> these(List<Sample> samples, String function, int memory, Setup setup) {
        return samples.stream().filter(s -> s.function().equals(function) && s.memoryMb() == memory
                && s.setup().equals(setup)).toList();
    }

    /** One stack, its two functions started cold by one request each, one after the other, then warm requests. */
    private static List<Sample> coldStart(DynamoDbEmulator table, int memory, Setup setup) throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        Map<String, String> settings = new java.util.HashMap<>(Map.of("PULSE_FUNCTION_MEMORY_MB", Integer.toString(memory),
                "PULSE_CPU_SHARE", "on", "PULSE_PRIMING", setup.priming() ? "on" : "off",
                "PULSE_DYNAMODB_ENDPOINT", table.endpoint().toString(), "SSE_MAX_STREAM_SECONDS", "1"));
        if (setup.tiered()) {
            settings.put("PULSE_FUNCTION_JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=4");
        }
        LocalPulseConfig config = RealArtifacts.config(Files.createTempDirectory("pulse-bench-").resolve("outputs.json"),
                settings);
        try (LocalPulse stack = LocalPulse.start(config, lines::add)) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(stack.url("sse").resolve("api/v2/stream"))
                    .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofInputStream());
            stream.body().readAllBytes();   // the stream ends after a second; its first answer's line comes then
            URI metrics = stack.url("dashboard").resolve("api/v2/metrics");
            http.send(HttpRequest.newBuilder(metrics).timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
            double sseWarm = warmMedian(http, stack.url("sse").resolve("api/v2/stream/status"));
            double dashboardWarm = warmMedian(http, metrics);
            List<Sample> samples = new ArrayList<>();
            for (String function : List.of("sse", "dashboard")) {
                samples.add(new Sample(function, memory, setup, await(lines, READY, function), await(lines, FIRST, function),
                        function.equals("sse") ? sseWarm : dashboardWarm));
            }
            return samples;
        }
    }

    /** The median time to a whole 200 answer over {@value #WARM} requests, one at a time, on the warm environment. */
    private static double warmMedian(HttpClient http, URI uri) throws Exception {
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < WARM; i++) {
            long began = System.nanoTime();
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri).timeout(WAIT).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException(uri + " answered " + answer.statusCode() + ": " + answer.body());
            }
            millis.add((System.nanoTime() - began) / 1e6);
        }
        return median(millis);
    }

    private static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[sorted.length / 2];
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

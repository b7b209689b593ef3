package dev.pulse.lambda.bench;

import dev.pulse.emulators.CpuShares;
import dev.pulse.lambda.runtime.StubRuntimeApi;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code make bench}, the runtime's part: each function is its own JVM (the flags Pulse's {@code bootstrap} passes at
 * 1,024 MB) against {@link StubRuntimeApi} on loopback, with Lambda's CPU share at that memory ({@link CpuShares}: init
 * unlimited, as Lambda's init burst, then 1,024 / 1,769 of a vCPU from the first {@code /next}) where the machine lets
 * this process set CPU quotas, and every figure stands beside its baseline from the same run.
 * <ul>
 *   <li><b>init</b>: exec to the first {@code /next}, for a buffered hello world on this runtime and on the official
 *       runtime interface client (its jars from {@code local-lambda/target/lambda-runtime}, built by {@code make
 *       build});</li>
 *   <li><b>overhead</b>: {@code /next} answered to the response's first byte, for a streaming hello world, first
 *       invocation and warm, beside {@link FloorFunction}, a loop with nothing in it;</li>
 *   <li><b>64 streams</b>: 64 streaming invocations at once in one JVM ({@code AWS_LAMBDA_MAX_CONCURRENCY=64}), each
 *       writing a line a second: resident memory and CPU, beside one stream.</li>
 * </ul>
 * Environment: {@code BENCH_OUT} (default {@code target/bench}).
 */
public final class RuntimeBench {

    static final int MEMORY_MB = 1024;
    static final int INIT_RUNS = 5;
    static final int WARM_INVOCATIONS = 300;
    static final Duration WAIT = Duration.ofSeconds(60);
    static final Duration STEADY = Duration.ofSeconds(10);

    private final String classPath = System.getProperty("java.class.path");
    private final Path root = Path.of("").toAbsolutePath();
    private final List<String> lines = new ArrayList<>();
    private final CpuShares shares = CpuShares.detect("pulse-bench-runtime-" + ProcessHandle.current().pid());
    private int environments;

    public static void main(String[] args) throws Exception {
        new RuntimeBench().run();
    }

    private void run() throws Exception {
        print("lambda-runtime: each function in its own JVM (" + String.join(" ", jvmFlags()) + "), Runtime API stub on loopback");
        print(shares.available()
                ? String.format(Locale.ROOT, "CPU: init unlimited, then %.2f vCPU (Lambda's share at %d MB): %s",
                        CpuShares.onDemandVcpus(MEMORY_MB), MEMORY_MB, shares.description())
                : "CPU: the machine's cores, not Lambda's share (" + shares.description() + ")");
        try (shares) {
            init();
            overhead();
            streams();
        }
        Path out = Path.of(System.getenv().getOrDefault("BENCH_OUT", "target/bench"));
        Files.createDirectories(out);
        Files.write(out.resolve("runtime.txt"), lines);
        print("(written to " + out.resolve("runtime.txt") + ")");
    }

    private void init() throws Exception {
        Path ric = root.resolve("local-lambda/target/lambda-runtime");
        List<Long> ours = new ArrayList<>();
        List<Long> official = new ArrayList<>();
        boolean haveRic = Files.isDirectory(ric);
        for (int i = 0; i < INIT_RUNS; i++) {
            ours.add(initMillis(command(classPath, BenchFunction.class.getName(), "buffered"), Map.of()));
            if (haveRic) {
                official.add(initMillis(command(ricClassPath(ric), "com.amazonaws.services.lambda.runtime.api.client.AWSLambda",
                        RicHello.class.getName() + "::handleRequest"), Map.of()));
            }
        }
        print("");
        print("init, exec to the first /next (buffered hello world, " + INIT_RUNS + " runs each: median [min..max])");
        print(String.format(Locale.ROOT, "  %-40s %s", "lambda-runtime", spread(ours)));
        print(String.format(Locale.ROOT, "  %-40s %s", "official runtime interface client 2.10.1",
                haveRic ? spread(official) : "not measured: " + ric + " is missing (make build)"));
    }

    private long initMillis(List<String> command, Map<String, String> env) throws Exception {
        try (StubRuntimeApi api = new StubRuntimeApi()) {
            long started = System.nanoTime();
            try (Environment environment = start(command, api, env)) {
                environment.awaitFirstNext(api);
                return (api.firstNextNanos() - started) / 1_000_000;
            }
        }
    }

    private void overhead() throws Exception {
        print("");
        print("overhead, /next answered to the response's first byte (streaming hello world; first, then "
                + WARM_INVOCATIONS + " warm: p50 / p99)");
        for (String[] function : List.of(new String[]{"lambda-runtime", BenchFunction.class.getName(), "stream"},
                new String[]{"floor: a loop with nothing in it", FloorFunction.class.getName(), ""})) {
            try (StubRuntimeApi api = new StubRuntimeApi()) {
                try (Environment environment = start(command(classPath, function[1], function[2]), api, Map.of())) {
                    environment.awaitFirstNext(api);
                    double first = firstByteMillis(api, "first");
                    List<Double> warm = new ArrayList<>();
                    for (int i = 0; i < WARM_INVOCATIONS; i++) {
                        warm.add(firstByteMillis(api, "warm-" + i));
                    }
                    print(String.format(Locale.ROOT, "  %-40s first %6.2f ms   warm %5.2f / %5.2f ms", function[0], first,
                            percentile(warm, 50), percentile(warm, 99)));
                }
            }
        }
    }

    private static double firstByteMillis(StubRuntimeApi api, String requestId) throws Exception {
        api.enqueue(requestId, Duration.ofSeconds(30), "{}");
        StubRuntimeApi.Recorded post = api.nextPost(WAIT).awaitDone(WAIT);
        return (post.headNanos - api.handedOutNanos(requestId)) / 1e6;
    }

    private void streams() throws Exception {
        print("");
        print("streams in one JVM, each writing a line a second (steady state over " + STEADY.toSeconds() + " s)");
        for (int n : new int[]{1, 64}) {
            try (StubRuntimeApi api = new StubRuntimeApi()) {
                try (Environment environment = start(command(classPath, BenchFunction.class.getName(), "ticks"), api,
                        Map.of("AWS_LAMBDA_MAX_CONCURRENCY", Integer.toString(n)))) {
                    Process process = environment.process();
                    environment.awaitFirstNext(api);
                    api.awaitWaitingNext(n, WAIT);
                    Thread.sleep(1000);
                    long idleRss = rssKiB(process);
                    List<StubRuntimeApi.Recorded> posts = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        api.enqueue("stream-" + i, STEADY.plusSeconds(15), "{}");
                    }
                    for (int i = 0; i < n; i++) {
                        posts.add(api.nextPost(WAIT));
                    }
                    for (StubRuntimeApi.Recorded post : posts) {
                        post.awaitChunk(1, WAIT);
                    }
                    Thread.sleep(2000);
                    long cpuBefore = cpuNanos(process);
                    long maxRss = 0;
                    long end = System.nanoTime() + STEADY.toNanos();
                    while (System.nanoTime() < end) {
                        maxRss = Math.max(maxRss, rssKiB(process));
                        Thread.sleep(250);
                    }
                    double cpuShare = (cpuNanos(process) - cpuBefore) / (double) STEADY.toNanos();
                    long open = posts.stream().filter(p -> !p.done.isDone()).count();
                    print(String.format(Locale.ROOT, "  %3d stream(s): RSS %5.1f MiB idle, %5.1f MiB with them open (+%.2f MiB"
                                    + " each); CPU %.2f %% of a core (%.3f ms per stream-second); %d open at the end",
                            n, idleRss / 1024.0, maxRss / 1024.0, (maxRss - idleRss) / 1024.0 / n, cpuShare * 100,
                            cpuShare * 1000 / n, open));
                }
            }
        }
    }

    private List<String> command(String cp, String main, String arg) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags());
        command.addAll(List.of("-cp", cp, main));
        if (!arg.isEmpty()) {
            command.add(arg);
        }
        return command;
    }

    /** What Pulse's {@code bootstrap} passes at {@link #MEMORY_MB}. */
    private static List<String> jvmFlags() {
        return List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "-XX:-UsePerfData", "-XX:MaxRAM=" + MEMORY_MB + "m", "-Xmx" + MEMORY_MB * 60 / 100 + "m");
    }

    private static String ricClassPath(Path ric) throws Exception {
        try (Stream<Path> jars = Files.list(ric)) {
            return jars.filter(j -> j.toString().endsWith(".jar")).map(Path::toString).sorted()
                    .collect(Collectors.joining(File.pathSeparator))
                    + File.pathSeparator + Path.of(RicHello.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        }
    }

    /**
     * One function's JVM in a CPU group of its own: unlimited until its first {@code /next} (Lambda's init burst), then
     * at Lambda's share of {@link #MEMORY_MB}.
     */
    private record Environment(List<String> command, Process process, CpuShares.Group cpu) implements AutoCloseable {

        void awaitFirstNext(StubRuntimeApi api) throws Exception {
            long end = System.nanoTime() + WAIT.toNanos();
            while (api.firstNextNanos() == 0) {
                if (System.nanoTime() > end || !process.isAlive()) {
                    throw new IllegalStateException("no /next from " + command + ":\n" + output(process));
                }
                Thread.sleep(1);
            }
            cpu.limit(CpuShares.onDemandVcpus(MEMORY_MB));
        }

        @Override
        public void close() throws InterruptedException {
            process.destroyForcibly().waitFor();
            cpu.close();
        }
    }

    private Environment start(List<String> command, StubRuntimeApi api, Map<String, String> env) throws IOException {
        CpuShares.Group cpu = shares.group("env-" + ++environments);
        Process process = launch(command, api, env);
        cpu.add(process.pid());
        return new Environment(command, process, cpu);
    }

    private static Process launch(List<String> command, StubRuntimeApi api, Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> all = new HashMap<>(env);
        all.put("AWS_LAMBDA_RUNTIME_API", api.endpoint());
        all.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(MEMORY_MB));
        all.put("AWS_LAMBDA_LOG_LEVEL", "WARN");
        builder.environment().putAll(all);
        builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        return builder.start();
    }

    private static String output(Process process) {
        return "exit " + (process.isAlive() ? "(running)" : process.exitValue());
    }

    private static long rssKiB(Process process) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IOException("no VmRSS for " + process.pid());
    }

    private static long cpuNanos(Process process) {
        return process.info().totalCpuDuration().orElseThrow().toNanos();
    }

    private static String spread(List<Long> millis) {
        long[] sorted = millis.stream().mapToLong(Long::longValue).sorted().toArray();
        return String.format(Locale.ROOT, "%5d ms [%d..%d]", sorted[sorted.length / 2], sorted[0], sorted[sorted.length - 1]);
    }

    private static double percentile(List<Double> values, int p) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private void print(String line) {
        System.out.println(line);
        lines.add(line);
    }
}

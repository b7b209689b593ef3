package dev.pulse.sse.bench;

import dev.pulse.core.Deadline;
import dev.pulse.core.DynamoItemStore;
import dev.pulse.core.Item;
import dev.pulse.core.NewItem;
import dev.pulse.core.PulseTable;
import dev.pulse.emulators.CpuShares;
import dev.pulse.emulators.DynamoDbEmulator;
import dev.pulse.lambda.http.FunctionUrlEvent;
import dev.pulse.lambda.runtime.StubRuntimeApi;
import dev.pulse.sse.SseZip;
import dev.pulse.testing.FaultyDynamoProxy;
import dev.pulse.testing.SseFrame;
import dev.pulse.testing.SseParser;
import dev.pulse.testing.TestDynamo;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code make bench}, the SSE function's environments: the real artifact ({@code sse-handler.zip}'s {@code bootstrap})
 * against the stub Runtime API, over moto's DynamoDB behind a request-counting proxy, measured the way viewers and the
 * bill feel it, side by side in one run:
 * <ul>
 *   <li><b>Managed Instances</b>: ONE environment ({@code AWS_LAMBDA_MAX_CONCURRENCY} = streams, 2,048 MB) with 64,
 *       256 and 1,000 streams;</li>
 *   <li><b>on-demand</b>: {@value #ON_DEMAND_ENVIRONMENTS} environments of one stream each (256 MB), the same figures
 *       per stream.</li>
 * </ul>
 * Each environment runs at the CPU share Lambda gives it ({@link CpuShares}, where the machine lets this process set
 * CPU quotas): unlimited during init, then 256 / 1,769 of a vCPU on demand, one vCPU per 2 GiB on Managed Instances.
 * For each: the environments' resident memory and CPU, the DynamoDB requests they make per second while idle and
 * while items arrive, heartbeat deviation (1 s heartbeats, idle), delivery from a write's start to each stream's
 * {@code new_item} (one item every 500 ms, poll interval 1,000 ms), and every stream's items checked for loss, repeats
 * and order. Environment: {@code BENCH_OUT} (default {@code target/bench}), {@code BENCH_SSE_STREAMS} (default
 * {@code 64,256,1000}).
 */
public final class EnvironmentBench {

    static final int ON_DEMAND_ENVIRONMENTS = 8;
    static final Duration IDLE = Duration.ofSeconds(10);
    static final int ITEMS = 20;
    static final Duration ITEM_GAP = Duration.ofMillis(500);
    static final Duration WAIT = Duration.ofSeconds(120);

    /** One run's figures. */
    record Figures(String setup, int environments, int streams, double rssMiB, double cpuCores, double idleReadsPerSecond,
                   double activeReadsPerSecond, double deliveryP50, double deliveryP99, double heartbeatP99,
                   long lost, long repeated, long outOfOrder) {
    }

    private final List<String> lines = new ArrayList<>();
    private final CpuShares shares = CpuShares.detect("pulse-bench-environments-" + ProcessHandle.current().pid());

    public static void main(String[] args) throws Exception {
        new EnvironmentBench().run();
    }

    private void run() throws Exception {
        Path zip = SseZip.in(Path.of("sse-handler"));
        Path task = SseZip.unpack(zip);
        List<Integer> sizes = new ArrayList<>();
        for (String n : System.getenv().getOrDefault("BENCH_SSE_STREAMS", "64,256,1000").split(",")) {
            sizes.add(Integer.parseInt(n.strip()));
        }
        List<Figures> results = new ArrayList<>();
        try (DynamoDbEmulator emulator = DynamoDbEmulator.start();
             DynamoDbClient direct = TestDynamo.client(emulator)) {
            PulseTable.create(direct, "bench");
            DynamoItemStore writer = new DynamoItemStore(direct, "bench");
            writer.put(new NewItem("SEED", "neutral", 0.5, "before the streams", null), null, Deadline.in(Duration.ofSeconds(10)));
            results.add(measure("on-demand, 256 MB", task, emulator, writer, ON_DEMAND_ENVIRONMENTS, 1, 256,
                    CpuShares.onDemandVcpus(256)));
            for (int n : sizes) {
                results.add(measure("Managed Instances, 2,048 MB", task, emulator, writer, 1, n, 2048,
                        CpuShares.managedInstancesVcpus(2048, 2)));
            }
        } finally {
            shares.close();
        }
        print("");
        print("SSE environments: the artifact against a stub Runtime API, moto behind a counting proxy; heartbeat 1 s, poll 1,000 ms");
        print(shares.available()
                ? "CPU: Lambda's share per environment after init (on demand 0.14 vCPU at 256 MB, Managed Instances 1 vCPU at 2,048 MB): "
                + shares.description()
                : "CPU: the machine's cores, not Lambda's share (" + shares.description() + ")");
        print(String.format(Locale.ROOT, "%-28s %5s %7s %10s %9s %12s %13s %17s %13s %s",
                "setup", "envs", "streams", "RSS MiB", "CPU cores", "idle reads/s", "active reads/s", "delivery p50/p99",
                "heartbeat p99", "lost/repeated/out of order"));
        for (Figures f : results) {
            print(String.format(Locale.ROOT, "%-28s %5d %7d %10.1f %9.3f %12.2f %13.2f %8.0f/%5.0f ms %10.1f ms %d/%d/%d",
                    f.setup(), f.environments(), f.streams(), f.rssMiB(), f.cpuCores(), f.idleReadsPerSecond(),
                    f.activeReadsPerSecond(), f.deliveryP50(), f.deliveryP99(), f.heartbeatP99(), f.lost(), f.repeated(),
                    f.outOfOrder()));
        }
        print("per stream:");
        for (Figures f : results) {
            int streams = f.environments() * f.streams();
            print(String.format(Locale.ROOT, "  %-28s %4d streams: %7.2f MiB RSS, %.5f CPU cores, %.4f idle reads per second (one poll interval)",
                    f.setup(), streams, f.rssMiB() / streams, f.cpuCores() / streams, f.idleReadsPerSecond() / streams));
        }
        Path out = Path.of(System.getenv().getOrDefault("BENCH_OUT", "target/bench"));
        Files.createDirectories(out);
        Files.write(out.resolve("sse-environments.txt"), lines);
        print("(written to " + out.resolve("sse-environments.txt") + ")");
    }

    private Figures measure(String setup, Path task, DynamoDbEmulator emulator, DynamoItemStore writer, int environments,
                            int streamsEach, int memoryMb, double vcpus) throws Exception {
        System.out.println("[bench] " + setup + ": " + environments + " environment(s) x " + streamsEach + " stream(s)");
        List<StubRuntimeApi> apis = new ArrayList<>();
        List<Process> processes = new ArrayList<>();
        List<CpuShares.Group> groups = new ArrayList<>();
        try (FaultyDynamoProxy proxy = FaultyDynamoProxy.in(emulator.endpoint())) {
            for (int e = 0; e < environments; e++) {
                StubRuntimeApi api = new StubRuntimeApi();
                apis.add(api);
                Process process = start(task, api, proxy, streamsEach, memoryMb, e);
                processes.add(process);
                CpuShares.Group group = shares.group(setup.replace(' ', '-') + "-" + streamsEach + "-env-" + e);
                group.add(process.pid());   // no quota yet: init gets Lambda's burst
                groups.add(group);
            }
            List<StubRuntimeApi.Recorded> streams = new ArrayList<>();
            for (int e = 0; e < environments; e++) {
                StubRuntimeApi api = apis.get(e);
                api.awaitWaitingNext(streamsEach, WAIT);
                groups.get(e).limit(vcpus);   // init is over: the share from the first /next on
                for (int s = 0; s < streamsEach; s++) {
                    api.enqueue("e" + e + "-s" + s, Duration.ofMinutes(10), FunctionUrlEvent.request("GET", "/api/v2/stream").toJson());
                }
            }
            for (int e = 0; e < environments; e++) {
                for (int s = 0; s < streamsEach; s++) {
                    StubRuntimeApi.Recorded stream = apis.get(e).awaitPost("e" + e + "-s" + s, WAIT);
                    stream.awaitChunk(2, WAIT);   // prelude, retry, snapshot: open
                    streams.add(stream);
                }
            }
            Thread.sleep(2000);   // past the start: every stream idle
            long idleFrom = System.nanoTime();
            long cpuFrom = cpu(processes);
            long readsFrom = reads(proxy);
            long maxRss = 0;
            while (System.nanoTime() - idleFrom < IDLE.toNanos()) {
                maxRss = Math.max(maxRss, rss(processes));
                Thread.sleep(250);
            }
            long idleTo = System.nanoTime();
            double idleReadsPerSecond = (reads(proxy) - readsFrom) / ((idleTo - idleFrom) / 1e9);

            Map<String, Long> writtenAt = new LinkedHashMap<>();
            long activeFrom = System.nanoTime();
            long requestsFrom = reads(proxy);
            for (int i = 0; i < ITEMS; i++) {
                long began = System.nanoTime();
                Item item = writer.put(new NewItem("BENCH", "positive", 0.9, "item " + i, null), null,
                        Deadline.in(Duration.ofSeconds(10))).item();
                writtenAt.put(item.id(), began);
                maxRss = Math.max(maxRss, rss(processes));
                Thread.sleep(ITEM_GAP.toMillis());
            }
            Thread.sleep(2500);   // the last item's poll
            maxRss = Math.max(maxRss, rss(processes));
            long activeTo = System.nanoTime();
            double activeRequests = (reads(proxy) - requestsFrom) / ((activeTo - activeFrom) / 1e9);
            double cpuCores = (cpu(processes) - cpuFrom) / (double) (activeTo - idleFrom);

            List<Double> delivery = new ArrayList<>();
            List<Double> heartbeats = new ArrayList<>();
            long lost = 0;
            long repeated = 0;
            long outOfOrder = 0;
            List<String> expected = List.copyOf(writtenAt.keySet());
            for (StubRuntimeApi.Recorded stream : streams) {
                List<String> got = new ArrayList<>();
                long previous = 0;
                for (StubRuntimeApi.Chunk chunk : stream.chunks().subList(1, stream.chunks().size())) {
                    SseFrame frame = SseParser.parse(chunk.text()).getFirst();
                    if (chunk.arrivedNanos() > idleFrom && chunk.arrivedNanos() < idleTo && frame.isHeartbeat() && previous > idleFrom) {
                        heartbeats.add(Math.abs((chunk.arrivedNanos() - previous) / 1e6 - 1000));
                    }
                    if (frame instanceof SseFrame.Event event && event.type().equals("new_item")
                            && writtenAt.containsKey(event.id())) {
                        got.add(event.id());
                        delivery.add((chunk.arrivedNanos() - writtenAt.get(event.id())) / 1e6);
                    }
                    previous = chunk.arrivedNanos();
                }
                lost += expected.stream().filter(id -> !got.contains(id)).count();
                repeated += got.size() - got.stream().distinct().count();
                for (int i = 1; i < got.size(); i++) {
                    if (got.get(i).compareTo(got.get(i - 1)) <= 0) {
                        outOfOrder++;
                    }
                }
            }
            return new Figures(setup, environments, streamsEach, maxRss / 1024.0, cpuCores, idleReadsPerSecond,
                    activeRequests, percentile(delivery, 50), percentile(delivery, 99), percentile(heartbeats, 99),
                    lost, repeated, outOfOrder);
        } finally {
            for (Process process : processes) {
                process.destroyForcibly().waitFor();
            }
            for (StubRuntimeApi api : apis) {
                api.close();
            }
            groups.forEach(CpuShares.Group::close);
        }
    }

    private static Process start(Path task, StubRuntimeApi api, FaultyDynamoProxy proxy, int concurrency, int memoryMb,
                                 int number) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(task.resolve("bootstrap").toString()).directory(task.toFile())
                .redirectErrorStream(true).redirectOutput(task.resolve("env-" + number + ".log").toFile());
        Map<String, String> env = new HashMap<>();
        env.put("AWS_LAMBDA_RUNTIME_API", api.endpoint());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(memoryMb));
        if (concurrency > 1) {
            env.put("AWS_LAMBDA_MAX_CONCURRENCY", Integer.toString(concurrency));
        }
        env.put("PULSE_TABLE", "bench");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_ENDPOINT_URL_DYNAMODB", proxy.endpoint().toString());
        env.put("AWS_LAMBDA_LOG_LEVEL", "WARN");
        env.put("SSE_HEARTBEAT_INTERVAL_SECONDS", "1");
        env.put("SSE_POLL_INTERVAL_MS", "1000");
        env.put("SSE_MAX_STREAM_SECONDS", "600");
        builder.environment().putAll(env);
        return builder.start();
    }

    /** The DynamoDB requests the environments made: the head and counter reads, and the range queries. */
    private static long reads(FaultyDynamoProxy proxy) {
        return proxy.count("GetItem") + proxy.count("Query") + proxy.count("BatchGetItem");
    }

    private static long rss(List<Process> processes) throws IOException {
        long kib = 0;
        for (Process process : processes) {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    kib += Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        }
        return kib;
    }

    private static long cpu(List<Process> processes) {
        return processes.stream().mapToLong(p -> p.info().totalCpuDuration().orElseThrow().toNanos()).sum();
    }

    private static double percentile(List<Double> values, int p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private void print(String line) {
        System.out.println(line);
        lines.add(line);
    }
}

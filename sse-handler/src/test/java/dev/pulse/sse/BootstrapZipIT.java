package dev.pulse.sse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.core.DynamoItemStore;
import dev.pulse.core.Item;
import dev.pulse.core.NewItem;
import dev.pulse.core.PulseTable;
import dev.pulse.emulators.DynamoDbEmulator;
import dev.pulse.lambda.runtime.StubRuntimeApi;
import dev.pulse.testing.SseFrame.Event;
import dev.pulse.testing.TestDynamo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged artifact (runs after {@code package}): unpack {@code target/sse-handler.zip} as Lambda does,
 * check {@code bootstrap} is executable inside the zip, exec it with the Runtime API pointing at the test
 * server, and stream from the DynamoDB emulator through it.
 */
class BootstrapZipIT {

    static final Duration WAIT = Duration.ofSeconds(30);

    /** A shaded jar re-shaded without {@code clean} once kept old copies of core's classes: never again. */
    @ParameterizedTest
    @ValueSource(strings = {"core:dev/pulse/core/", "lambda-runtime:dev/pulse/lambda/"})
    void theZipsJarHoldsFreshClassesOfItsModulesAndOnlyTheJdkHttpClient(String moduleAndPackage) throws Exception {
        String module = moduleAndPackage.split(":")[0];
        String packagePath = moduleAndPackage.split(":")[1];
        Path zip = Path.of("target/sse-handler.zip").toAbsolutePath();
        Path core = Path.of("..", module, "target", "classes").toAbsolutePath().normalize();
        Path jar = Files.createTempFile("sse-handler-", ".jar");
        try (FileSystem fs = FileSystems.newFileSystem(URI.create("jar:" + zip.toUri()), Map.of())) {
            Files.copy(fs.getPath("/sse-handler.jar"), jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        int compared = 0;
        try (java.util.zip.ZipFile shaded = new java.util.zip.ZipFile(jar.toFile())) {
            // Only the JDK-based SDK client: the Apache and Netty ones add megabytes and cold start.
            List<String> otherHttpClients = shaded.stream().map(e -> e.getName())
                    .filter(name -> name.startsWith("org/apache/http/") || name.startsWith("org/apache/hc/")
                            || name.startsWith("io/netty/") || name.startsWith("software/amazon/awssdk/http/apache")
                            || name.startsWith("software/amazon/awssdk/http/nio/netty/"))
                    .toList();
            assertEquals(List.of(), otherHttpClients);
            assertTrue(shaded.getEntry("software/amazon/awssdk/http/urlconnection/UrlConnectionHttpClient.class") != null);
            for (var entry : shaded.stream().filter(e -> e.getName().startsWith(packagePath)
                    && e.getName().endsWith(".class")).toList()) {
                try (var in = shaded.getInputStream(entry)) {
                    assertTrue(java.util.Arrays.equals(Files.readAllBytes(core.resolve(entry.getName())), in.readAllBytes()),
                            entry.getName() + " in the zip differs from " + module + "'s compiled class: a stale artifact");
                }
                compared++;
            }
        } finally {
            Files.deleteIfExists(jar);
        }
        assertTrue(compared > 10, module + "'s classes are in the jar: " + compared);
    }

    /**
     * One invocation at a time, as on-demand Lambda runs it, and six, as Lambda Managed Instances may: every stream is
     * open at once and gets the item, and each response carries its invocation id back.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 6})
    void theZipsBootstrapRunsTheStreamingRuntime(int concurrency) throws Exception {
        Path zip = SseZip.in(Path.of(""));
        assertTrue(Files.isRegularFile(zip), "build the zip first (mvn package): " + zip);
        assertEquals(Set.of("bootstrap", "sse-handler.jar"), SseZip.entries(zip));
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_EXECUTE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE), SseZip.bootstrapMode(zip),
                "bootstrap is 0755 in the zip");
        Path task = SseZip.unpack(zip);

        Path log = task.resolve("runtime.log");
        try (DynamoDbEmulator emulator = DynamoDbEmulator.start();
             DynamoDbClient client = TestDynamo.client(emulator);
             StubRuntimeApi api = new StubRuntimeApi()) {
            PulseTable.create(client, "pulse-zip");
            DynamoItemStore store = new DynamoItemStore(client, "pulse-zip");
            ProcessBuilder pb = new ProcessBuilder(task.resolve("bootstrap").toString())
                    .directory(task.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            Map<String, String> env = pb.environment();
            env.put("AWS_LAMBDA_RUNTIME_API", api.endpoint());
            env.put("JAVA_HOME", System.getProperty("java.home"));
            env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512");
            env.put("PULSE_TABLE", "pulse-zip");
            env.put("AWS_REGION", "us-east-1");
            env.put("AWS_ACCESS_KEY_ID", "local");
            env.put("AWS_SECRET_ACCESS_KEY", "local");
            env.put("AWS_ENDPOINT_URL_DYNAMODB", emulator.endpoint().toString());
            env.put("SSE_HEARTBEAT_INTERVAL_SECONDS", "1");
            env.put("SSE_POLL_INTERVAL_MS", "200");
            if (concurrency > 1) {
                env.put("AWS_LAMBDA_MAX_CONCURRENCY", Integer.toString(concurrency));
            }
            Process process = pb.start();
            try {
                api.enqueue("zip-health", Duration.ofSeconds(60), Events.get("/health", ""));
                JsonNode health = RuntimeProtocolTest.wholeAnswer(api.nextPost(WAIT), "zip-health", 200);
                assertEquals("pulse-zip", health.path("table").asText(), Files.readString(log));

                List<StubRuntimeApi.Recorded> streams = new ArrayList<>();
                for (int i = 0; i < concurrency; i++) {
                    api.enqueue("zip-stream-" + i, RuntimeProtocolTest.streamFor(Duration.ofMillis(2500)),
                            Events.get("/api/v2/stream", ""));
                }
                for (int i = 0; i < concurrency; i++) {
                    streams.add(api.nextPost(WAIT));
                }
                for (StubRuntimeApi.Recorded r : streams) {
                    r.awaitChunk(2, WAIT);   // all open at once
                }
                Item item = store.put(new NewItem("ZIP", "positive", 1.0, "through the artifact", null));
                for (StubRuntimeApi.Recorded r : streams) {
                    List<Event> events = RuntimeProtocolTest.eventsOnePerChunk(r.awaitDone(WAIT).chunks());
                    assertEquals(List.of(item.id()),
                            events.stream().filter(e -> "new_item".equals(e.type())).map(Event::id).toList(), events.toString());
                    assertEquals("reconnect", events.getLast().type());
                    assertEquals("inv-" + r.path.split("/")[4], r.header("Lambda-Runtime-Invocation-Id"));
                }
            } finally {
                api.close();   // the runtime's next /next fails and it exits
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
            assertEquals(2, process.exitValue(), "exits when the Runtime API goes away:\n" + Files.readString(log));
        }
    }
}

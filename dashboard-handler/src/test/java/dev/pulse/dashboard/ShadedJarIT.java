package dev.pulse.dashboard;

import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.core.Json;
import dev.pulse.core.PulseTable;
import dev.pulse.emulators.DynamoDbEmulator;
import dev.pulse.lambda.http.FunctionUrlEvent;
import dev.pulse.testing.TestDynamo;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deployable artifact itself: {@code target/dashboard-handler.jar}, alone in a class loader in a
 * child JVM configured only by environment variables (as on Lambda), against the DynamoDB emulator.
 * Catches what unit tests cannot: classes lost to shading or minimizing, missing resources, the
 * runtime serializer's needs (Joda-Time), the endpoint override from {@code AWS_ENDPOINT_URL_DYNAMODB}.
 */
class ShadedJarIT {

    private static final Path JAR = Path.of("target", "dashboard-handler.jar").toAbsolutePath();

    @Test
    void theJarHoldsNoApacheOrNettyClient() throws Exception {
        try (ZipFile zip = new ZipFile(JAR.toFile())) {
            List<String> forbidden = zip.stream().map(e -> e.getName())
                    .filter(name -> name.startsWith("org/apache/http/") || name.startsWith("org/apache/hc/")
                            || name.startsWith("io/netty/")
                            || name.startsWith("software/amazon/awssdk/http/apache/")
                            || name.startsWith("software/amazon/awssdk/http/apache5/")
                            || name.startsWith("software/amazon/awssdk/http/nio/netty/")
                            || name.matches("META-INF/[^/]+\\.(SF|RSA|DSA|EC)"))
                    .toList();
            assertEquals(List.of(), forbidden);
            assertNotNull(zip.getEntry("dev/pulse/dashboard/web/index.html"));
            assertNotNull(zip.getEntry("META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.iife.min.js"));
            assertNotNull(zip.getEntry("META-INF/resources/webjars/uplot/1.6.30/LICENSE"), "the chart's licence ships with it");
            assertNotNull(zip.getEntry("software/amazon/awssdk/http/urlconnection/UrlConnectionHttpClient.class"));
            assertNotNull(zip.getEntry("org/joda/time/DateTime.class"));
        }
    }

    /** A shaded jar re-shaded without {@code clean} once kept old copies of core's classes: never again. */
    @Test
    void coresClassesInTheJarAreTheOnesJustCompiled() throws Exception {
        Path core = Path.of("..", "core", "target", "classes").toAbsolutePath().normalize();
        int compared = 0;
        try (ZipFile zip = new ZipFile(JAR.toFile())) {
            for (var entry : zip.stream().filter(e -> e.getName().startsWith("dev/pulse/core/")
                    && e.getName().endsWith(".class")).toList()) {
                Path compiled = core.resolve(entry.getName());
                assertTrue(Files.isRegularFile(compiled), entry.getName() + " is in the jar but core has no such class");
                try (var in = zip.getInputStream(entry)) {
                    assertTrue(java.util.Arrays.equals(Files.readAllBytes(compiled), in.readAllBytes()),
                            entry.getName() + " in the jar differs from core's compiled class: a stale artifact");
                }
                compared++;
            }
        }
        assertTrue(compared > 10, "core's classes are in the jar: " + compared);
    }

    @Test
    void theJarServesRequestsConfiguredByTheEnvironment() throws Exception {
        assertTrue(Files.isRegularFile(JAR), "run `mvn package` first: " + JAR);
        try (DynamoDbEmulator emulator = DynamoDbEmulator.start();
             DynamoDbClient dynamo = TestDynamo.client(emulator)) {
            PulseTable.create(dynamo, "pulse-it");
            Path stderr = Path.of("target", "shaded-jar-it-child.log").toAbsolutePath();
            ProcessBuilder builder = new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", classpath(), IsolatedHandlerMain.class.getName(), JAR.toString())
                    .redirectError(stderr.toFile());
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(name -> name.startsWith("AWS_") || name.startsWith("PULSE_") || name.startsWith("SSE_"));
            env.putAll(Map.of(
                    "PULSE_TABLE", "pulse-it",
                    "AWS_REGION", "us-east-1",
                    "AWS_ENDPOINT_URL_DYNAMODB", emulator.endpoint().toString(),
                    "AWS_ACCESS_KEY_ID", "local",
                    "AWS_SECRET_ACCESS_KEY", "local",
                    "PULSE_API_KEY_SHA256", ApiKey.sha256Hex("it-key"),
                    "SSE_URL", "http://127.0.0.1:8081/",
                    "PULSE_VERSION", "it"));
            Process child = builder.start();
            try (Writer toChild = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8);
                 BufferedReader fromChild = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                Exchange exchange = new Exchange(toChild, fromChild, stderr);

                JsonNode health = exchange.send(FunctionUrlEvent.get("/health"));
                assertEquals(200, health.path("statusCode").asInt(), health::toString);
                assertEquals("pulse-it", body(health).path("table").asText());

                JsonNode created = exchange.send(FunctionUrlEvent.post("/api/v2/items",
                        "{\"tag\":\"AAPL\",\"label\":\"positive\",\"score\":0.7,\"text\":\"from the jar\"}")
                        .header("authorization", "Bearer it-key"));
                assertEquals(201, created.path("statusCode").asInt(), created::toString);
                String id = body(created).path("id").asText();
                assertEquals("/api/v2/items/" + id, created.path("headers").path("Location").asText());
                // The runtime serializer writes the field names a Function URL reads.
                assertTrue(created.has("isBase64Encoded"), created::toString);

                JsonNode metrics = exchange.send(FunctionUrlEvent.get("/api/v2/metrics"));
                assertEquals(1, body(metrics).path("total").asInt(), metrics::toString);

                JsonNode unauthorized = exchange.send(FunctionUrlEvent.post("/api/v2/items", "{}"));
                assertEquals(401, unauthorized.path("statusCode").asInt());

                JsonNode stream = exchange.send(FunctionUrlEvent.get("/api/v2/stream").header("accept", "text/event-stream"));
                assertEquals(421, stream.path("statusCode").asInt());
                assertEquals("http://127.0.0.1:8081/", body(stream).path("sse_url").asText());

                JsonNode page = exchange.send(FunctionUrlEvent.get("/"));
                assertEquals(200, page.path("statusCode").asInt());
                assertTrue(page.path("body").asText().contains("<title>Pulse</title>"));
            } finally {
                child.destroy();
                if (!child.waitFor(10, TimeUnit.SECONDS)) {
                    child.destroyForcibly();
                }
            }
        }
    }

    private static JsonNode body(JsonNode response) throws Exception {
        assertTrue(response.path("body").isTextual(), () -> "no body in " + response);
        return Json.parse(response.path("body").asText());
    }

    /** The child's classpath: the runtime's serializer and this main class only; the handler comes from the jar. */
    private static String classpath() throws Exception {
        return String.join(File.pathSeparator,
                Path.of(LambdaEventSerializers.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString(),
                Path.of(IsolatedHandlerMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
    }

    private record Exchange(Writer in, BufferedReader out, Path stderr) {
        JsonNode send(FunctionUrlEvent request) throws Exception {
            in.write(request.toJson() + "\n");
            in.flush();
            String line = out.readLine();
            if (line == null) {
                throw new AssertionError("the child JVM ended; its stderr:\n" + Files.readString(stderr));
            }
            return Json.parse(line);
        }
    }
}

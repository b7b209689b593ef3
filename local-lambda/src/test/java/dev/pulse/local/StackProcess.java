package dev.pulse.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code java -jar target/local-lambda.jar} as `make run` starts it, for the integration tests: in a scratch
 * directory with its console and outputs file, both URLs on free ports. The caller's own PULSE_* and SSE_*
 * settings are dropped, so a developer's shell does not change what a test runs; PULSE_PYTHON is kept (which
 * interpreter has moto is the machine's business, not a setting of the stack). {@code env} comes on top.
 * {@link #close} stops it as Ctrl-C does (SIGTERM), kills what is left, and deletes the directory.
 */
final class StackProcess implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration START_LIMIT = Duration.ofSeconds(120);

    private final Process process;
    private final Path dir;
    private JsonNode outputs;

    private StackProcess(Process process, Path dir) {
        this.process = process;
        this.dir = dir;
    }

    /** Starts the stack and waits for its outputs file (every URL answers by then). */
    static StackProcess start(Map<String, String> env) throws Exception {
        StackProcess stack = launch(env);
        try {
            stack.awaitOutputs();
            return stack;
        } catch (Exception | AssertionError e) {
            stack.close();
            throw e;
        }
    }

    /** Starts the stack and returns at once: for a test that expects it to give up. */
    static StackProcess launch(Map<String, String> env) throws IOException {
        Path jar = Path.of("target", "local-lambda.jar").toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), jar + " is built by `mvn package` before the integration tests");
        Path dir = Files.createTempDirectory("pulse-stack-it-");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString())
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("console.log").toFile());
        Map<String, String> all = builder.environment();
        all.keySet().removeIf(name -> (name.startsWith("PULSE_") && !name.equals("PULSE_PYTHON")) || name.startsWith("SSE_"));
        all.put("PULSE_REPO_ROOT", RealArtifacts.repoRoot().toString());
        all.put("PULSE_DASHBOARD_PORT", "0");
        all.put("PULSE_SSE_PORT", "0");
        all.put("PULSE_OUTPUTS_FILE", dir.resolve("outputs.json").toString());
        all.put("PULSE_CPU_SHARE", "off");   // behaviour, not speed: CpuShareIT runs with the share
        all.putAll(env);
        return new StackProcess(builder.start(), dir);
    }

    /** Waits until the outputs file is written, failing with the console if the stack exits or takes too long. */
    private void awaitOutputs() throws Exception {
        Path file = dir.resolve("outputs.json");
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (!Files.exists(file)) {
            assertTrue(process.isAlive(), () -> "the stack exited early:\n" + console());
            assertTrue(System.nanoTime() < deadline, () -> "no outputs file after " + START_LIMIT.toSeconds() + " s:\n"
                    + console());
            Thread.sleep(200);
        }
        outputs = MAPPER.readTree(file.toFile());
    }

    /** The outputs file of a {@link #start}ed stack, shaped like `terraform output -json`. */
    JsonNode outputs() {
        return outputs;
    }

    /** The value of a root output, e.g. {@code sse_lambda_function_url}, as a URI. */
    URI url(String output) {
        return URI.create(outputs.path(output).path("value").asText());
    }

    Process process() {
        return process;
    }

    /** All the stack printed so far. */
    String console() {
        try {
            return Files.readString(dir.resolve("console.log"));
        } catch (IOException e) {
            return "(no console: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy(); // SIGTERM: the stack stops its environments and DynamoDB
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}

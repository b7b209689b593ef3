package dev.pulse.lambda.runtime;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real process, a real SIGTERM: the stream in flight finishes, no more work is asked for, the process ends. */
class SigtermTest {

    static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void sigtermMidStream_theStreamFinishesCleanly_thenTheProcessEnds() throws Exception {
        Path output = Files.createTempFile("draining-function", ".log");
        try (StubRuntimeApi api = new StubRuntimeApi()) {
            String classPath = codeSource(LambdaRuntime.class) + File.pathSeparator + codeSource(DrainingFunction.class);
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", classPath, DrainingFunction.class.getName()).redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().put("AWS_LAMBDA_RUNTIME_API", api.endpoint());
            Process process = builder.start();
            try {
                api.enqueue("req-sigterm", Duration.ofSeconds(30), "{}");
                StubRuntimeApi.Recorded stream = api.nextPost(WAIT);
                stream.awaitChunk(2, WAIT);
                int callsBefore = api.nextCalls();
                process.destroy();   // SIGTERM
                assertTrue(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "the process ends");
                stream.awaitDone(Duration.ZERO);
                assertEquals(11, stream.chunks().size(), "the prelude and all ten parts");
                assertTrue(stream.trailers.isEmpty(), "a clean end");
                assertEquals("part 9\n", stream.chunks().get(10).text());
                assertEquals(callsBefore, api.nextCalls(), "no /next after SIGTERM");
                String written = Files.readString(output, StandardCharsets.UTF_8);
                assertTrue(written.contains("\"event\":\"draining\""), written);
            } finally {
                process.destroyForcibly();
                Files.deleteIfExists(output);
            }
        }
    }

    private static String codeSource(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}

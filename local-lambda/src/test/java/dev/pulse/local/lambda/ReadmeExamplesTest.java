package dev.pulse.local.lambda;

import dev.pulse.lambda.runtime.LambdaRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * lambda-runtime's README shows two complete functions. This test takes each Java block from the README as written,
 * compiles it against the runtime alone, and runs it as a function behind an emulated Function URL: the streaming
 * one must stream (its lines arrive as they are written), the buffered one must answer whole.
 */
class ReadmeExamplesTest {

    private static final Path README = Path.of("..", "lambda-runtime", "README.md");
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LambdaEmulator emulator;
    private static Path classes;

    @BeforeAll
    static void compileTheReadmesExamples() throws Exception {
        String readme = Files.readString(README);
        Path sources = Files.createTempDirectory("readme-examples-src-");
        classes = Files.createTempDirectory("readme-examples-classes-");
        List<String> files = new ArrayList<>();
        Matcher blocks = JAVA_BLOCK.matcher(readme);
        while (blocks.find()) {
            Matcher name = Pattern.compile("public final class (\\w+)").matcher(blocks.group(1));
            if (name.find()) {
                Path file = sources.resolve(name.group(1) + ".java");
                Files.writeString(file, blocks.group(1));
                files.add(file.toString());
            }
        }
        assertEquals(2, files.size(), "the README's two complete examples: " + files);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        List<String> arguments = new ArrayList<>(List.of("--release", "21", "-d", classes.toString(), "-cp", runtimeClasses()));
        arguments.addAll(files);
        int status = compiler.run(null, null, errors, arguments.toArray(String[]::new));
        assertEquals(0, status, "the README's examples compile against lambda-runtime alone:\n" + errors);
        emulator = new LambdaEmulator(new CapturedLog());
    }

    @AfterAll
    static void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    @Test
    void theStreamingHelloWorldStreamsThroughAResponseStreamUrl() throws Exception {
        URI url = emulator.addFunction(function("readme-stream", InvokeMode.RESPONSE_STREAM, "HelloStream"), 0);
        HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(url.resolve("/")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        assertEquals("text/plain; charset=utf-8", response.headers().firstValue("content-type").orElse(""));
        List<String> lines = new ArrayList<>();
        List<Long> arrivals = new ArrayList<>();
        try (BufferedReader body = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line = body.readLine(); line != null; line = body.readLine()) {
                lines.add(line);
                arrivals.add(System.nanoTime());
            }
        }
        assertEquals(3, lines.size(), lines.toString());
        for (int i = 1; i <= 3; i++) {
            assertTrue(lines.get(i - 1).matches("hello " + i + " of 3, request [0-9a-f-]{36}"), lines.get(i - 1));
        }
        long spreadMillis = (arrivals.get(2) - arrivals.get(0)) / 1_000_000;
        assertTrue(spreadMillis >= 450, "the lines arrived as written, 300 ms apart, not all at the end: " + spreadMillis + " ms");
    }

    @Test
    void theBufferedHelloWorldAnswersWholeThroughABufferedUrl() throws Exception {
        URI url = emulator.addFunction(function("readme-buffered", InvokeMode.BUFFERED, "HelloBuffered"), 0);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(url.resolve("/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("content-type").orElse(""));
        assertEquals("{\"hello\":\"world\"}", response.body());
    }

    private static FunctionSpec function(String name, InvokeMode mode, String mainClass) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m",
                "-cp", runtimeClasses() + java.io.File.pathSeparator + classes, mainClass);
        return new FunctionSpec(name, "[" + name + "]", mode, 1, Duration.ofSeconds(10), Duration.ofSeconds(30), command,
                Files.createTempDirectory("readme-task-"), Map.of("AWS_LAMBDA_FUNCTION_NAME", name));
    }

    private static String runtimeClasses() {
        try {
            return Path.of(LambdaRuntime.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}

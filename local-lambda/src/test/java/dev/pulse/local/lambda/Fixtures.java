package dev.pulse.local.lambda;

import dev.pulse.local.lambda.fixture.FixtureFunction;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Test support: fixture functions (child JVMs running {@link FixtureFunction}), a captured log, SSE reading. */
final class Fixtures {

    private Fixtures() {
    }

    static FunctionSpec spec(String name, InvokeMode mode, int concurrency, Duration timeout) throws IOException {
        Path classes;
        try {
            classes = Path.of(FixtureFunction.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-Xmx64m",
                "-cp", classes.toString(), FixtureFunction.class.getName());
        return new FunctionSpec(name, "[" + name + "]", mode, concurrency, timeout, Duration.ofSeconds(30), command,
                Files.createTempDirectory("fixture-task-"), Map.of("AWS_LAMBDA_FUNCTION_NAME", name));
    }

    /** One parsed SSE data event with the client time it arrived. */
    record Arrival(int index, long pid, long writtenAtMillis, long arrivedAtMillis) {
    }

    private static final Pattern FIXTURE_DATA = Pattern.compile("data: \\{\"i\":(\\d+),\"pid\":(\\d+),\"t\":(\\d+)}");

    /** Reads SSE events from the body until it ends (or max events), noting when each arrived. */
    static List<Arrival> readEvents(InputStream body, int max) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        List<Arrival> arrivals = new ArrayList<>();
        String line;
        while (arrivals.size() < max && (line = reader.readLine()) != null) {
            Matcher matcher = FIXTURE_DATA.matcher(line);
            if (matcher.matches()) {
                arrivals.add(new Arrival(Integer.parseInt(matcher.group(1)), Long.parseLong(matcher.group(2)),
                        Long.parseLong(matcher.group(3)), System.currentTimeMillis()));
            }
        }
        return arrivals;
    }
}

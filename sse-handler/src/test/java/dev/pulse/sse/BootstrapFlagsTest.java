package dev.pulse.sse;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JVM flags {@code bootstrap} starts the function with, read from a stand-in {@code java} that prints its
 * arguments: the heap from the function's memory, C1 and the serial GC by default, and the function's
 * {@code JAVA_TOOL_OPTIONS} after them, so that they win, as over the managed runtime's own flags.
 */
class BootstrapFlagsTest {

    private static final List<String> DEFAULTS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC", "-Xshare:auto", "-XX:-UsePerfData");

    @Test
    void theHeapFollowsTheFunctionsMemory_andTheManagedRuntimesArgumentsAreDropped() throws Exception {
        List<String> args = javaArguments(Map.of("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256"), "-Xshare:off", "managed.Main");
        assertEquals(concat(DEFAULTS, List.of("-XX:MaxRAM=256m", "-Xmx153m")), args.subList(0, args.size() - 3));
        assertEquals("dev.pulse.sse.SseRuntimeMain", args.getLast());
    }

    @Test
    void withoutAMemorySize_sixtyPercentOfWhatTheJvmSees() throws Exception {
        List<String> args = javaArguments(Map.of());
        assertEquals(concat(DEFAULTS, List.of("-XX:MaxRAMPercentage=60")), args.subList(0, args.size() - 3));
    }

    @Test
    void javaToolOptionsComeLast_oneFlagPerWord_unglobbed() throws Exception {
        List<String> args = javaArguments(Map.of("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1769",
                "JAVA_TOOL_OPTIONS", " -XX:TieredStopAtLevel=4   -XX:+UseParallelGC -Dx=* "));
        assertEquals(concat(DEFAULTS, List.of("-XX:MaxRAM=1769m", "-Xmx1061m", "-XX:TieredStopAtLevel=4",
                "-XX:+UseParallelGC", "-Dx=*")), args.subList(0, args.size() - 3));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    /** Runs a copy of the source {@code bootstrap} beside an empty jar, with a {@code java} that prints its arguments. */
    private static List<String> javaArguments(Map<String, String> env, String... bootstrapArgs) throws Exception {
        Path task = Files.createTempDirectory("sse-bootstrap-");
        Path bootstrap = task.resolve("bootstrap");
        Files.copy(Path.of("src/main/bootstrap/bootstrap"), bootstrap);
        Files.setPosixFilePermissions(bootstrap, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createFile(task.resolve("sse-handler.jar"));
        Path javaHome = task.resolve("jdk");
        Files.createDirectories(javaHome.resolve("bin"));
        Path java = javaHome.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path out = task.resolve("args");
        ProcessBuilder pb = new ProcessBuilder(concat(List.of(bootstrap.toString()), List.of(bootstrapArgs)))
                .directory(task.toFile()).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
        Map<String, String> all = new HashMap<>(env);
        all.put("JAVA_HOME", javaHome.toString());
        pb.environment().keySet().removeIf(name -> name.startsWith("AWS_") || name.equals("JAVA_TOOL_OPTIONS"));
        pb.environment().putAll(all);
        Process process = pb.start();
        assertTrue(process.waitFor(10, TimeUnit.SECONDS), "bootstrap ended");
        assertEquals(0, process.exitValue());
        List<String> args = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertEquals(List.of("-cp", task.toRealPath().resolve("sse-handler.jar").toString()), args.subList(args.size() - 3, args.size() - 1));
        return args;
    }
}

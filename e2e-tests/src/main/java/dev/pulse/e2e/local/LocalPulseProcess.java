package dev.pulse.e2e.local;

import dev.pulse.e2e.RepoRoot;
import dev.pulse.e2e.TargetException;
import dev.pulse.e2e.Targets;
import dev.pulse.e2e.TempDirs;
import dev.pulse.e2e.TerraformOutputs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A local stack ({@code java -jar local-lambda/target/local-lambda.jar}) run as a child process on
 * free loopback ports, for one e2e run.
 *
 * <p>{@link #start} passes {@code PULSE_DASHBOARD_PORT=0}, {@code PULSE_SSE_PORT=0} and a fresh
 * {@code PULSE_OUTPUTS_FILE}, then waits until the stack writes that file (it does so only once
 * both URLs answer) and reads the URLs from it. {@link #close} stops the whole process tree; a JVM
 * shutdown hook does the same if the caller never gets to close it.
 */
public final class LocalPulseProcess implements AutoCloseable {

    /**
     * @param repoRoot the directory holding {@code local-lambda/} (and the function artifacts)
     * @param apiKey   passed as {@code PULSE_API_KEY}; null or blank = writes open
     * @param extraEnv more variables for the stack, e.g. {@code SSE_MAX_STREAM_SECONDS}; they win
     * @param startTimeout how long to wait for the outputs file
     */
    public record Options(Path repoRoot, String apiKey, Map<String, String> extraEnv, Duration startTimeout) {
        public Options {
            extraEnv = Map.copyOf(extraEnv);
        }

        /** Repo root from {@link RepoRoot}, key from {@code E2E_API_KEY}, 90 s timeout. */
        public static Options fromEnvironment(Map<String, String> env) {
            Path root = RepoRoot.find(env).orElseThrow(() -> new TargetException(
                    "E2E_TARGET=local: cannot find the repository root (no pom.xml + e2e-tests/ above "
                            + Path.of("").toAbsolutePath() + "); set PULSE_REPO_ROOT"));
            return new Options(root, env.get("E2E_API_KEY"), Map.of(), Duration.ofSeconds(90));
        }

        public Options withApiKey(String key) {
            return new Options(repoRoot, key, extraEnv, startTimeout);
        }

        public Options withEnv(Map<String, String> more) {
            Map<String, String> merged = new LinkedHashMap<>(extraEnv);
            merged.putAll(more);
            return new Options(repoRoot, apiKey, merged, startTimeout);
        }
    }

    private static final int LOG_TAIL_LINES = 80;

    private final Process process;
    private final Path workDir;
    private final Path log;
    private final Targets targets;
    private final TerraformOutputs outputs;
    private final Thread shutdownHook;

    private LocalPulseProcess(Process process, Path workDir, Path log, Targets targets, TerraformOutputs outputs) {
        this.process = process;
        this.workDir = workDir;
        this.log = log;
        this.targets = targets;
        this.outputs = outputs;
        this.shutdownHook = new Thread(this::stopProcessTree, "pulse-local-stack-stop-" + process.pid());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** The jar {@link #start} runs. */
    public static Path jar(Path repoRoot) {
        return repoRoot.resolve("local-lambda/target/local-lambda.jar");
    }

    /**
     * Starts the stack and waits for its outputs file.
     *
     * @throws IOException when the jar is missing, the process exits early or the file does not
     *                     appear in time; the message carries the tail of the stack's output
     */
    public static LocalPulseProcess start(Options options) throws IOException {
        Path jar = jar(options.repoRoot());
        if (!Files.isRegularFile(jar)) {
            throw new IOException(jar + " does not exist: build it first (`make build`, or"
                    + " `mvn install -DskipTests -DskipITs` from the repository root)");
        }
        Path workDir = Files.createTempDirectory("pulse-local-stack");
        Path outputsFile = workDir.resolve("local-outputs.json");
        Path log = workDir.resolve("local-stack.log");

        ProcessBuilder pb = new ProcessBuilder(javaExecutable(), "-jar", jar.toString())
                .directory(options.repoRoot().toFile())
                .redirectErrorStream(true)
                // A file, not a pipe: the stack may log a lot and must never block on us.
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Map<String, String> env = pb.environment();
        env.put("PULSE_DASHBOARD_PORT", "0");
        env.put("PULSE_SSE_PORT", "0");
        env.put("PULSE_OUTPUTS_FILE", outputsFile.toString());
        env.put("PULSE_REPO_ROOT", options.repoRoot().toString());
        if (options.apiKey() == null || options.apiKey().isBlank()) {
            env.remove("PULSE_API_KEY");
        } else {
            env.put("PULSE_API_KEY", options.apiKey());
        }
        env.putAll(options.extraEnv());

        Process process = pb.start();
        try {
            TerraformOutputs outputs = awaitOutputs(process, outputsFile, log, options.startTimeout());
            Targets parsed = Targets.fromOutputsJson(Files.readString(outputsFile), "local stack outputs " + outputsFile);
            Targets targets = new Targets(parsed.dashboardUrl(), parsed.sseUrl(),
                    "local stack started for this run (" + jar.getFileName() + ", pid " + process.pid() + ")",
                    parsed.warnings());
            return new LocalPulseProcess(process, workDir, log, targets, outputs);
        } catch (IOException | RuntimeException e) {
            destroyTree(process);
            throw e;
        }
    }

    private static TerraformOutputs awaitOutputs(Process process, Path file, Path log, Duration timeout)
            throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastProblem = "not written yet";
        while (System.nanoTime() < deadline) {
            if (Files.isRegularFile(file)) {
                try {
                    TerraformOutputs outputs = TerraformOutputs.parse(Files.readString(file), file.toString());
                    if (outputs.string(Targets.DASHBOARD_OUTPUT).isPresent()) {
                        return outputs;
                    }
                    lastProblem = "no " + Targets.DASHBOARD_OUTPUT + " in it";
                } catch (TargetException e) {
                    lastProblem = e.getMessage(); // possibly caught mid-write: try again
                }
            }
            if (!process.isAlive()) {
                throw new IOException("the local stack exited with code " + process.exitValue()
                        + " before writing " + file + ". Its output:\n" + tail(log));
            }
            sleep(100);
        }
        throw new IOException("the local stack did not write " + file + " within " + timeout.toSeconds()
                + " s (" + lastProblem + "). Its output:\n" + tail(log));
    }

    public Targets targets() {
        return targets;
    }

    /** Everything the stack wrote to its outputs file (table_name, dynamodb_endpoint, ...). */
    public TerraformOutputs outputs() {
        return outputs;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The last lines the stack printed (for failure messages). */
    public String logTail() {
        return tail(log);
    }

    /** Everything the stack printed so far (its console: its own lines and its functions' lines, shown compact). */
    public String console() throws IOException {
        return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
    }

    /** The outputs file the stack wrote (what {@code E2E_OUTPUTS_FILE} would name for diagnose). */
    public Path outputsFile() {
        return workDir.resolve("local-outputs.json");
    }

    /** A function's log file: every line it wrote, as CloudWatch Logs would keep them ({@code <function>_log_file}). */
    public Path logFile(String function) {
        return Path.of(outputs.string(function + "_log_file").orElseThrow(() -> new IllegalStateException(
                "the stack's outputs name no " + function + "_log_file")));
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or will run; stopping twice is harmless.
        }
        stopProcessTree();
    }

    private void stopProcessTree() {
        destroyTree(process);
        TempDirs.deleteTree(workDir);   // the outputs, the console log, the functions' log files (local-logs/)
    }

    /**
     * SIGTERM first (the stack stops its own children on it), then force. Descendants are listed
     * before the parent goes, since orphans are re-parented and can no longer be found from it.
     */
    static void destroyTree(Process process) {
        List<ProcessHandle> descendants = new ArrayList<>(process.descendants().toList());
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        for (ProcessHandle child : descendants) {
            if (child.isAlive()) {
                child.destroy();
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (ProcessHandle child : descendants) {
            while (child.isAlive() && System.nanoTime() < deadline) {
                sleep(50);
            }
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
    }

    /** The java of this JVM, for a child JVM: the JVM running the tests is >= 21; `java` on PATH may be older. */
    public static String javaExecutable() {
        Optional<String> current = ProcessHandle.current().info().command();
        return current.filter(c -> Files.isExecutable(Path.of(c)))
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static String tail(Path log) {
        try {
            // Lenient decoding: a child's odd bytes must not hide its output.
            List<String> lines = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
            int from = Math.max(0, lines.size() - LOG_TAIL_LINES);
            return (from > 0 ? "  ... (" + from + " earlier lines)\n" : "")
                    + String.join("\n", lines.subList(from, lines.size()).stream().map(l -> "  | " + l).toList());
        } catch (IOException e) {
            return "  (no output: " + e.getMessage() + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

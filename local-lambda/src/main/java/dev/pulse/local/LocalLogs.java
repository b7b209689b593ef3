package dev.pulse.local;

import dev.pulse.core.telemetry.Level;
import dev.pulse.local.lambda.FunctionOutput;
import dev.pulse.local.lambda.FunctionSpec;

import java.io.BufferedWriter;
import java.io.Console;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The functions' log lines on the local stack, as CloudWatch Logs would keep them: each function's lines, as written,
 * in its own file ({@code local-logs/<function>.log} next to the outputs file, emptied at start), which diagnose reads
 * as it reads a log group; and on the console, each JSON line made one short line for a person ({@link ConsoleLine},
 * in colour on a terminal) or, with {@code PULSE_LOG_FORMAT=json}, as written.
 *
 * <p>Also the local override of the functions' application log level, {@code PULSE_LOG_LEVEL} (what Terraform's
 * log_level sets on AWS), e.g. {@code FATAL} for the bench's run without logging.
 */
final class LocalLogs implements FunctionOutput, AutoCloseable {

    static final String FORMAT_VARIABLE = "PULSE_LOG_FORMAT";
    static final String LEVEL_VARIABLE = "PULSE_LOG_LEVEL";

    private final Path dir;
    private final boolean raw;
    private final ConsoleLine console;
    private final Consumer<String> out;
    private final Map<String, BufferedWriter> files = new LinkedHashMap<>();

    private LocalLogs(Path dir, boolean raw, ConsoleLine console, Consumer<String> out) {
        this.dir = dir;
        this.raw = raw;
        this.console = console;
        this.out = out;
    }

    /**
     * The logs of one stack: files under {@code dir}, the console through {@code out}.
     *
     * @param settings the caller's PULSE_* variables ({@code PULSE_LOG_FORMAT}: {@code pretty}, the default, or {@code json})
     */
    static LocalLogs open(Path dir, Map<String, String> settings, Consumer<String> out) {
        String format = settings.getOrDefault(FORMAT_VARIABLE, "pretty").strip().toLowerCase(Locale.ROOT);
        if (!format.equals("pretty") && !format.equals("json")) {
            throw new IllegalArgumentException(FORMAT_VARIABLE + " must be pretty or json, got '" + settings.get(FORMAT_VARIABLE) + "'");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        return new LocalLogs(dir, format.equals("json"), new ConsoleLine(colourTerminal()), out);
    }

    /** The function's file: what a stack started for a run (the e2e suite, diagnose's test) reads back. */
    Path file(String function) {
        return dir.resolve(function + ".log");
    }

    @Override
    public void line(FunctionSpec function, String line) {
        String key = key(function);
        write(key, line);
        if (raw) {
            out.accept(line);
            return;
        }
        String shown = console.format(function.logPrefix(), line);
        if (shown != null) {
            out.accept(shown);
        }
    }

    private synchronized void write(String key, String line) {
        try {
            BufferedWriter writer = files.get(key);
            if (writer == null) {
                writer = Files.newBufferedWriter(file(key), StandardCharsets.UTF_8);   // created, or emptied
                files.put(key, writer);
            }
            writer.write(line);
            writer.newLine();
            writer.flush();   // diagnose may read it while the stack runs
        } catch (IOException e) {
            out.accept("[local] cannot write " + file(key) + ": " + e.getMessage());
        }
    }

    /** Each function's file is created with its first line; these are there from the start, empty. */
    synchronized void create(String key) {
        if (!files.containsKey(key)) {
            try {
                files.put(key, Files.newBufferedWriter(file(key), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + file(key), e);
            }
        }
    }

    /** {@code [sse]} → {@code sse}: the function's key in the description. */
    private static String key(FunctionSpec function) {
        String prefix = function.logPrefix();
        return prefix.startsWith("[") && prefix.endsWith("]") ? prefix.substring(1, prefix.length() - 1) : function.name();
    }

    @Override
    public synchronized void close() {
        for (BufferedWriter writer : files.values()) {
            try {
                writer.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        files.clear();
    }

    /** The application level the function runs with: PULSE_LOG_LEVEL, else the description's; null with text logs. */
    static String applicationLevel(LocalFunctions.Function function, Map<String, String> settings) {
        String planned = plannedLevel(function);
        if (planned == null) {
            return null;
        }
        String override = settings.get(LEVEL_VARIABLE);
        if (override == null || override.isBlank()) {
            return planned;
        }
        try {
            return Level.valueOf(override.strip().toUpperCase(Locale.ROOT)).name();   // Lambda's levels, core's names
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(LEVEL_VARIABLE + " must be one of " + Arrays.stream(Level.values())
                    .map(Level::name).collect(Collectors.joining(", ")) + ", got '" + override + "'");
        }
    }

    /** The description's application level when its log format is JSON (Lambda's default INFO if unset); else null. */
    static String plannedLevel(LocalFunctions.Function function) {
        LocalFunctions.Logging logging = function.logging();
        if (logging == null || !"JSON".equalsIgnoreCase(logging.logFormat())) {
            return null;
        }
        return logging.applicationLogLevel() == null ? "INFO" : logging.applicationLogLevel();
    }

    /**
     * Colour only for a person at a terminal: not with NO_COLOR set (no-color.org), TERM=dumb, or output that is a
     * file or a pipe ({@link Console#isTerminal()} from JDK 22; on 21, a console exists only for a terminal).
     */
    static boolean colourTerminal() {
        if (System.getenv("NO_COLOR") != null || "dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}

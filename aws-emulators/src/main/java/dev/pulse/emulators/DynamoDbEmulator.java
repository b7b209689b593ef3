package dev.pulse.emulators;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A DynamoDB API on a loopback port, for the local stack ({@code make run}) and the tests.
 *
 * <p>It runs moto's DynamoDB (a Python package, Apache-2.0) through {@code dynamodb-emulator.py}, which
 * serialises writes and keeps transactions O(1). AWS's DynamoDB Local is not used because its licence is not an
 * open-source one. Needs {@code python3} with {@code moto[server]} installed ({@code PULSE_PYTHON} picks another
 * interpreter).
 */
public final class DynamoDbEmulator implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private static DynamoDbEmulator shared;

    private final ChildServer server;

    private DynamoDbEmulator(ChildServer server) {
        this.server = server;
    }

    /** Starts an emulator on a free port and waits until it answers. */
    public static DynamoDbEmulator start() {
        return start(0);
    }

    /**
     * One emulator for every test class of a test JVM, started on first use and stopped by its shutdown hook:
     * starting moto takes seconds. Tests that share it use their own table names, and never close it.
     */
    public static synchronized DynamoDbEmulator shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    /** Starts the emulator on {@code port} (0 = any free port) and waits until it answers. */
    public static DynamoDbEmulator start(int port) {
        return start(python(), port);
    }

    /**
     * With {@code python} as the interpreter.
     *
     * @throws UncheckedIOException when it cannot start; the message says how to install moto and ends with its
     *                              output
     */
    static DynamoDbEmulator start(String python, int port) {
        try {
            // The script and the log stay: the log is where to look when the emulator stops on its own.
            Path dir = Files.createTempDirectory("pulse-dynamodb-");
            Path script = dir.resolve("dynamodb-emulator.py");
            try (InputStream in = DynamoDbEmulator.class.getResourceAsStream("dynamodb-emulator.py")) {
                Files.copy(in, script);
            }
            int chosen = port == 0 ? ChildServer.freePort() : port;
            return new DynamoDbEmulator(ChildServer.start(new ChildServer.Launch("the DynamoDB emulator",
                    List.of(python, script.toString(), "--port", Integer.toString(chosen)), chosen,
                    dir.resolve("emulator.log"), START_TIMEOUT,
                    "is moto installed? `" + python + " -c 'import moto'`; install Python 3 and moto[server]"
                            + " (`make tools` does), or set PULSE_PYTHON to an interpreter that has them")));
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    private static String python() {
        String configured = System.getenv("PULSE_PYTHON");
        return configured == null || configured.isBlank() ? "python3" : configured;
    }

    public URI endpoint() {
        return server.endpoint();
    }

    /** What the emulator printed: the place to look when it stops. */
    public Path log() {
        return server.log();
    }

    public boolean isAlive() {
        return server.isAlive();
    }

    @Override
    public void close() {
        server.close();
    }
}

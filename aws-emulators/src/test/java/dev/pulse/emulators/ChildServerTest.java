package dev.pulse.emulators;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChildServerTest {

    private static final String ADVICE = "install the fixture";

    @TempDir
    Path dir;

    private ChildServer.Launch fixture(String mode, int port, Duration startTimeout) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classes = Path.of(FixtureServer.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", classes, FixtureServer.class.getName(), mode,
                Integer.toString(port), dir.resolve("pids").toString()));
        return new ChildServer.Launch("the fixture", command, port, dir.resolve("fixture.log"), startTimeout, ADVICE);
    }

    /** The pids of the fixture's own process and its grandchild, as it wrote them. */
    private List<Long> fixturePids() throws IOException {
        return Arrays.stream(Files.readString(dir.resolve("pids")).split(" ")).map(Long::parseLong).toList();
    }

    /** A pid with no process is gone; one still there gets a few seconds to finish exiting. */
    private static void assertAllGone(List<Long> pids) throws Exception {
        for (long pid : pids) {
            ProcessHandle process = ProcessHandle.of(pid).orElse(null);
            if (process != null) {
                process.onExit().get(10, TimeUnit.SECONDS);
                assertFalse(process.isAlive(), "process " + pid + " is left over");
            }
        }
    }

    @Test
    void aChildIsStartedOnceItsPortAnswers_andCloseStopsItWithWhatItStarted() throws Exception {
        int port = ChildServer.freePort();
        List<Long> pids;
        try (ChildServer server = ChildServer.start(fixture("serve", port, Duration.ofSeconds(30)))) {
            assertEquals("http://127.0.0.1:" + port, server.endpoint().toString());
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            }
            pids = fixturePids();
            assertTrue(server.isAlive());
            assertTrue(pids.stream().allMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)),
                    "the child and its grandchild run");
            assertEquals("listening on " + port, Files.readString(server.log()).strip());
        }
        assertAllGone(pids);
    }

    @Test
    void aChildThatNeverOpensItsPortFailsAtTheTimeoutWithItsOutput_andNothingIsLeftOver() throws Exception {
        int port = ChildServer.freePort();
        long started = System.nanoTime();
        IOException failure = assertThrows(IOException.class,
                () -> ChildServer.start(fixture("silent", port, Duration.ofSeconds(5))));
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        assertTrue(seconds >= 5 && seconds < 25, "failed after " + seconds + " s");
        assertEquals("the fixture did not answer on port " + port + " within 5 s, and was stopped. Its output:\n"
                + "  | warming up", failure.getMessage());
        assertAllGone(fixturePids());
    }

    @Test
    void aChildThatDiesFailsAtOnceWithItsExitCodeTheAdviceAndTheTailOfItsOutput() throws Exception {
        int port = ChildServer.freePort();
        long started = System.nanoTime();
        IOException failure = assertThrows(IOException.class,
                () -> ChildServer.start(fixture("die", port, Duration.ofSeconds(60))));
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(20).toNanos(), "noticed the exit, not the timeout");
        String message = failure.getMessage();
        assertTrue(message.startsWith("the fixture exited with 3 before it answered on port " + port + " (" + ADVICE
                + "). Its output:\n  ... (61 earlier lines)\n  | line 62\n"), message);
        assertTrue(message.endsWith("  | line 100\n  | ModuleNotFoundError: No module named 'moto'"), message);
        assertEquals(ChildServer.LOG_TAIL_LINES + 2L, message.lines().count(), message);
    }

    @Test
    void aCommandThatCannotRunSaysWhatToDo() {
        IOException failure = assertThrows(IOException.class, () -> ChildServer.start(new ChildServer.Launch(
                "the fixture", List.of(dir.resolve("missing").toString()), 1, dir.resolve("log"), Duration.ofSeconds(5),
                ADVICE)));
        assertTrue(failure.getMessage().startsWith("the fixture could not be started ("), failure.getMessage());
        assertTrue(failure.getMessage().endsWith("): " + ADVICE), failure.getMessage());
    }
}

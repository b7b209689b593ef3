package dev.pulse.emulators;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A child for {@link ChildServerTest}, run in its own JVM: {@code serve PORT PIDS} and {@code silent PORT PIDS} start a
 * grandchild ({@code sleep}) and write "own-pid grandchild-pid" to PIDS; then {@code serve} listens on PORT and
 * {@code silent} never does. {@code die} prints 100 lines and moto's import error, and exits with 3.
 */
public final class FixtureServer {

    private FixtureServer() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "serve" -> {
                writePids(Path.of(args[2]));
                try (ServerSocket socket = new ServerSocket(Integer.parseInt(args[1]), 50, InetAddress.getLoopbackAddress())) {
                    System.out.println("listening on " + args[1]);
                    while (true) {
                        try (Socket ignored = socket.accept()) {
                            // a connection is all a readiness check asks for
                        }
                    }
                }
            }
            case "silent" -> {
                writePids(Path.of(args[2]));
                System.out.println("warming up");
                Thread.sleep(Long.MAX_VALUE);
            }
            case "die" -> {
                for (int i = 1; i <= 100; i++) {
                    System.out.println("line " + i);
                }
                System.out.println("ModuleNotFoundError: No module named 'moto'");
                System.exit(3);
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void writePids(Path file) throws IOException {
        Process grandchild = new ProcessBuilder("sleep", "300").start();
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.writeString(partial, ProcessHandle.current().pid() + " " + grandchild.pid());
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
    }
}

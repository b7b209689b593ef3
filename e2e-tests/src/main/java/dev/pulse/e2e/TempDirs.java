package dev.pulse.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removes the temporary directories the suite makes (a local stack's work dir, a Terraform work copy, a browser profile). */
public final class TempDirs {
    private TempDirs() {
    }

    /** Deletes {@code dir} and everything below it; a temp tree that cannot be removed is left, not an error. */
    public static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // a temp directory: the OS cleans it eventually
        }
    }
}

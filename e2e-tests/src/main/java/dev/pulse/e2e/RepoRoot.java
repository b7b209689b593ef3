package dev.pulse.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the Pulse repository root: env {@code PULSE_REPO_ROOT}, else the nearest directory at or
 * above the working directory that holds {@code pom.xml} and {@code e2e-tests/}. Failsafe runs
 * with the module directory as working directory, so relative paths the user gives
 * ({@code terraform}, {@code local-lambda/target/local-outputs.json}) are resolved here instead.
 */
public final class RepoRoot {
    private RepoRoot() {
    }

    public static Optional<Path> find(Map<String, String> env) {
        String explicit = env.get("PULSE_REPO_ROOT");
        if (explicit != null && !explicit.isBlank()) {
            return Optional.of(Path.of(explicit).toAbsolutePath().normalize());
        }
        return findFrom(Path.of("").toAbsolutePath());
    }

    static Optional<Path> findFrom(Path start) {
        for (Path dir = start.normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("e2e-tests"))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    /** An absolute path stays; a relative one is taken from the repo root when known, else the working directory. */
    public static Path resolve(String path, Map<String, String> env) {
        Path p = Path.of(path);
        if (p.isAbsolute()) {
            return p.normalize();
        }
        return find(env).map(root -> root.resolve(p)).orElse(p.toAbsolutePath()).normalize();
    }
}

package dev.pulse.e2e.infra;

import dev.pulse.e2e.RepoRoot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs one of the repository's shell scripts with bash, for the tests of the scripts themselves. */
final class Script {

    /** Exit status and everything the script printed (stdout, then stderr). */
    record Result(int exitCode, String stdout, String stderr) {
        String all() {
            return stdout + stderr;
        }
    }

    private Script() {
    }

    static Path repo() {
        return RepoRoot.find(System.getenv()).orElseThrow(() -> new IllegalStateException("repository root not found"));
    }

    /**
     * Copies the repository's {@code script} (a path from the root, such as {@code scripts/write-key.sh}) to the same
     * path under {@code dir}, beside an empty {@code terraform/envs/} for the tfvars files a test writes; returns the copy.
     */
    static Path copyBesideEmptyEnvs(String script, Path dir) throws IOException {
        Files.createDirectories(dir.resolve("terraform/envs"));
        Path copy = dir.resolve(script);
        Files.createDirectories(copy.getParent());
        return Files.copy(repo().resolve(script), copy);
    }

    /**
     * {@code bash <script> args...} in {@code dir}, with a clean environment plus {@code env} (only PATH and
     * HOME are kept from ours, so no key or setting of the machine running the tests leaks in).
     */
    static Result run(Path script, List<String> args, Map<String, String> env, Path dir) throws IOException {
        Path bash = Executables.onPath("bash").orElseThrow(() -> new IllegalStateException("bash is not on PATH"));
        List<String> command = new java.util.ArrayList<>(List.of(bash.toString(), script.toString()));
        command.addAll(args);
        Path out = Files.createTempFile("script-out", ".txt");
        Path err = Files.createTempFile("script-err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> environment = builder.environment();
        String path = environment.get("PATH");
        String home = environment.get("HOME");
        environment.clear();
        environment.put("PATH", path == null ? "/usr/bin:/bin" : path);
        if (home != null) {
            environment.put("HOME", home);
        }
        environment.putAll(env);
        try {
            Process process = builder.start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(script + " did not finish within 120 s");
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}

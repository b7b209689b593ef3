package dev.pulse.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code terraform -chdir=<dir> output -json} and returns its standard output. */
public final class TerraformCli implements TerraformOutputSource {
    private final String executable;
    private final Duration timeout;

    public TerraformCli() {
        this("terraform", Duration.ofSeconds(60));
    }

    public TerraformCli(String executable, Duration timeout) {
        this.executable = executable;
        this.timeout = timeout;
    }

    /**
     * @throws IOException with a one-line reason (not installed, non-zero exit with the first error
     *                     line, timeout) so the resolver can say why this option did not apply
     */
    @Override
    public String outputJson(Path dir) throws IOException {
        Path err = Files.createTempFile("pulse-terraform", ".err");
        Path out = Files.createTempFile("pulse-terraform", ".json");
        try {
            ProcessBuilder pb = new ProcessBuilder(List.of(executable, "-chdir=" + dir, "output", "-json", "-no-color"))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            pb.environment().put("TF_IN_AUTOMATION", "1");
            pb.environment().put("TF_INPUT", "0");
            Process process;
            try {
                process = pb.start();
            } catch (IOException e) {
                throw new IOException("`" + executable + "` could not be started (is Terraform installed and on PATH?)");
            }
            // Files, not pipes: waiting with a timeout must not depend on the child closing its streams.
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException("terraform output did not finish within " + timeout.toSeconds() + " s");
            }
            if (process.exitValue() != 0) {
                throw new IOException("terraform output exited with " + process.exitValue() + ": "
                        + firstErrorLine(Files.readString(err, StandardCharsets.UTF_8)));
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running terraform", e);
        } finally {
            Files.deleteIfExists(err);
            Files.deleteIfExists(out);
        }
    }

    static String firstErrorLine(String stderr) {
        String[] lines = stderr.replaceAll("\u001B\\[[0-9;]*m", "").split("\n");
        for (String line : lines) {
            String l = line.replaceAll("^[│╷╵\\s]+", "").trim();
            if (l.startsWith("Error:")) {
                return l;
            }
        }
        for (String line : lines) {
            String l = line.replaceAll("^[│╷╵\\s]+", "").trim();
            if (!l.isEmpty()) {
                return l;
            }
        }
        return "(no error output)";
    }
}

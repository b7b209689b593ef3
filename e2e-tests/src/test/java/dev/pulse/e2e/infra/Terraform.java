package dev.pulse.e2e.infra;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs terraform (or the project's init script) in one working directory, output kept for messages; copies a module to work on. */
final class Terraform {
    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }

        String tail() {
            return output.length() > 4000 ? "..." + output.substring(output.length() - 4000) : output;
        }
    }

    private final Path dir;

    Terraform(Path dir) {
        this.dir = dir;
    }

    Result terraform(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("terraform", "-chdir=" + dir));
        command.addAll(List.of(args));
        return run(command);
    }

    Result run(List<String> command) throws IOException {
        Path out = Files.createTempFile("pulse-terraform", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            // Only the variables a test passes: a developer's exported TF_VAR_api_key must not change what is proven.
            pb.environment().keySet().removeIf(name -> name.startsWith("TF_VAR_"));
            pb.environment().put("TF_IN_AUTOMATION", "1");
            pb.environment().put("TF_INPUT", "0");
            String cliConfig = pb.environment().get("TF_CLI_CONFIG_FILE");
            if (cliConfig != null && !Files.isRegularFile(Path.of(cliConfig))) {
                pb.environment().remove("TF_CLI_CONFIG_FILE"); // a missing file only adds warnings
            }
            Process p = pb.start();
            if (!p.waitFor(Duration.ofMinutes(5).toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out after 5 min: " + command + "\n" + Files.readString(out, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + command, e);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Copies a module (its .tf files, envs/, child modules) without a checkout's .terraform/, state or lock file. */
    static void copyModule(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path relative = from.relativize(source);
                String first = relative.getNameCount() == 0 ? "" : relative.getName(0).toString();
                String name = source.getFileName().toString();
                if (first.equals(".terraform") || name.endsWith(".tfstate") || name.endsWith(".tfstate.backup")
                        || name.equals(".terraform.lock.hcl")) {
                    continue;
                }
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }

    /**
     * An override file for a copy of the root module: provider endpoints on moto at {@code endpoint} and a local backend,
     * from outside the module (the module itself is not changed for a test).
     */
    static String motoOverride(URI endpoint) {
        StringBuilder endpoints = new StringBuilder();
        for (String service : List.of("cloudwatch", "dynamodb", "iam", "lambda", "logs", "sts")) {
            endpoints.append("    ").append(service).append(" = \"").append(endpoint).append("\"\n");
        }
        return """
                # Written by the infra tier: the real module, pointed at moto on loopback.
                terraform {
                  backend "local" {}
                }

                provider "aws" {
                  region                      = "us-east-1"
                  access_key                  = "test"
                  secret_key                  = "test"
                  skip_credentials_validation = true
                  skip_requesting_account_id  = true
                  skip_metadata_api_check     = true
                  skip_region_validation      = true

                  endpoints {
                %s  }
                }
                """.formatted(endpoints);
    }

    /** What Terraform's sha256() gives for {@code text}: the lower-case hex digest of its UTF-8 bytes. */
    static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

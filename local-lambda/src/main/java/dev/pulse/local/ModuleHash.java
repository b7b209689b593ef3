package dev.pulse.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The SHA-256 of what a plan of the module reads: every {@code .tf} / {@code .tf.json} file of the root and of its
 * child modules under {@code modules/} (not {@code .terraform/}, and not override files, which are a developer's own
 * and not committed) and the tfvars files the description is planned with. A change anywhere else (READMEs,
 * another environment's tfvars, the state, another root in a subdirectory such as {@code managed-instances/}) does
 * not make the description stale.
 */
final class ModuleHash {

    private ModuleHash() {
    }

    static String of(Path terraformDir, List<String> varFiles) {
        try (Stream<Path> walk = Files.walk(terraformDir)) {
            List<Path> files = walk
                    .filter(Files::isRegularFile)
                    .filter(file -> partOfRoot(terraformDir.relativize(file)))
                    .filter(file -> !underDotTerraform(terraformDir.relativize(file)))
                    .filter(file -> isModuleFile(file.getFileName().toString())
                            || varFiles.contains(relative(terraformDir, file)))
                    .sorted((a, b) -> relative(terraformDir, a).compareTo(relative(terraformDir, b)))
                    .toList();
            MessageDigest all = sha256();
            for (Path file : files) {
                String line = relative(terraformDir, file) + " " + HexFormat.of().formatHex(sha256().digest(Files.readAllBytes(file))) + "\n";
                all.update(line.getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(all.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the module " + terraformDir, e);
        }
    }

    /**
     * Whether a path (relative to the root module's directory) is this root's: its own files, its child modules
     * ({@code modules/}) and its tfvars ({@code envs/}). Any other subdirectory holds something a plan of this root
     * does not read, such as another root ({@code managed-instances/}).
     */
    static boolean partOfRoot(Path relative) {
        if (relative.getNameCount() <= 1) {
            return true;
        }
        String first = relative.getName(0).toString();
        return first.equals("modules") || first.equals("envs");
    }

    /** Inside a .terraform directory: what terraform init installed, not the module. */
    private static boolean underDotTerraform(Path relative) {
        for (Path part : relative) {
            if (part.toString().equals(".terraform")) {
                return true;
            }
        }
        return false;
    }

    /** Terraform configuration, except override files (Terraform's own naming rule for them). */
    static boolean isModuleFile(String name) {
        boolean config = name.endsWith(".tf") || name.endsWith(".tf.json");
        String stem = name.replaceFirst("\\.tf(\\.json)?$", "");
        return config && !stem.equals("override") && !stem.endsWith("_override");
    }

    private static String relative(Path dir, Path file) {
        return dir.relativize(file).toString().replace('\\', '/');
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}

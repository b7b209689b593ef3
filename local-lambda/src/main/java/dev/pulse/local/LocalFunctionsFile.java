package dev.pulse.local;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code terraform/local-functions.json}: the local stack's only source of function configuration, checked
 * against the module before each start. The check is a hash of the module's files ({@link ModuleHash}), so an
 * unchanged module costs tens of milliseconds; a changed one is planned again (a few seconds) when terraform is
 * installed. Each start says in one line which of these happened.
 */
final class LocalFunctionsFile {

    static final String NAME = "local-functions.json";

    /** Whether a stale or missing description may be regenerated: not in CI, where the drift test must see it. */
    enum Refresh {
        AUTO, NEVER;

        /** {@code PULSE_FUNCTIONS_REFRESH} (auto | never); unset: never under {@code CI=true}, else auto. */
        static Refresh fromEnvironment(Map<String, String> env) {
            String value = env.get("PULSE_FUNCTIONS_REFRESH");
            if (value == null || value.isBlank()) {
                return "true".equalsIgnoreCase(env.get("CI")) ? NEVER : AUTO;
            }
            return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "auto" -> AUTO;
                case "never" -> NEVER;
                default -> throw new IllegalArgumentException("PULSE_FUNCTIONS_REFRESH=" + value + " is neither auto nor never");
            };
        }
    }

    private LocalFunctionsFile() {
    }

    /** The description of {@code terraformDir}'s functions, up to date with it when that can be made so. */
    static LocalFunctions load(Path repoRoot, Path terraformDir, Refresh refresh, Optional<Path> terraform,
                               Consumer<String> log) {
        Path file = terraformDir.resolve(NAME);
        String shown = shown(repoRoot, file);
        String module = shown(repoRoot, terraformDir) + "/";
        String hash = ModuleHash.of(terraformDir, TerraformPlan.VAR_FILES);
        LocalFunctions current = Files.isRegularFile(file) ? LocalFunctions.read(file) : null;
        if (current != null && hash.equals(current.moduleSha256())) {
            log.accept("[local] functions from " + shown + " (planned from " + module + " as it is now)");
            return current;
        }
        String why = current == null ? shown + " is missing" : module + " changed since " + shown + " was made";
        if (refresh == Refresh.NEVER) {
            if (current == null) {
                throw new IllegalStateException(why + " (not regenerated: PULSE_FUNCTIONS_REFRESH=never or CI=true); "
                        + "run `make local-functions`");
            }
            log.accept("[local] " + why + "; not regenerating it (PULSE_FUNCTIONS_REFRESH=never or CI=true): "
                    + "using it as it is, and the infra tier's drift test will name what differs");
            return current;
        }
        if (terraform.isEmpty()) {
            if (current == null) {
                throw new IllegalStateException(why + " and terraform is not installed to make it (docs/testing.md, 'What the tests need')");
            }
            log.accept("[local] " + why + ", and terraform is not installed: could not check or regenerate it, using it as committed");
            return current;
        }
        log.accept("[local] " + why + ": regenerating it with terraform plan (a few seconds)");
        LocalFunctions fresh;
        try {
            fresh = generate(repoRoot, terraformDir);
        } catch (RuntimeException e) {
            throw new IllegalStateException("could not regenerate " + shown + " from " + module + ": " + e.getMessage()
                    + "\n(fix " + module + ", or set PULSE_FUNCTIONS_REFRESH=never to run the description as it is)", e);
        }
        fresh.write(file);
        return fresh;
    }

    /** Plans {@code terraformDir} ({@link TerraformPlan}) and reads the plan ({@link PlanDescription}). */
    static LocalFunctions generate(Path repoRoot, Path terraformDir) {
        String hash = ModuleHash.of(terraformDir, TerraformPlan.VAR_FILES);
        String plan = TerraformPlan.showJson(repoRoot, terraformDir);
        return PlanDescription.read(plan, hash, TerraformPlan.PLANNED_WITH, terraformDir.getFileName().toString());
    }

    /** {@code terraform} on the PATH. */
    static Optional<Path> terraformOnPath(Map<String, String> env) {
        String path = env.get("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = dir.isEmpty() ? null : Path.of(dir, "terraform");
            if (candidate != null && Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static String shown(Path repoRoot, Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path root = repoRoot.toAbsolutePath().normalize();
        return absolute.startsWith(root) ? root.relativize(absolute).toString() : absolute.toString();
    }
}

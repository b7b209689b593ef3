package dev.pulse.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code terraform plan -out} + {@code terraform show -json} of a scratch copy of the root module, offline: no
 * AWS account, no API (an empty state, no refresh; the provider's credential, account and metadata checks are
 * skipped), the provider from the filesystem mirror through {@code scripts/terraform-init.sh}. The module is
 * copied, never changed in place; the copy gets two override files:
 *
 * <ul>
 *   <li>the root: a local backend and static dummy credentials;</li>
 *   <li>{@value #FUNCTION_MODULE}: its {@code function_url} output becomes a marker naming the function. AWS
 *       assigns a Function URL when it creates it, so a plan cannot know it, and the provider then reports every
 *       environment variable of a function that is given another's URL (the dashboard's SSE_URL) as unknown.</li>
 * </ul>
 *
 * <p>It plans with {@link #PLANNED_WITH}: the preprod settings (the environment the local e2e suite stands in
 * for), named {@code local}, markers for what the local stack replaces (the write key's digest, the CORS
 * origins), and {@code local_description}, which lets the root be described with
 * {@code sse_capacity_mode = "managed_instances"}, a mode it refuses to plan for a deployment. Empty files stand in
 * for the two artifacts, so the plan does not need a build. Only the root's own files, {@code modules/} and
 * {@code envs/} are copied: another root in a subdirectory ({@code managed-instances/}) is not this plan's.
 */
final class TerraformPlan {

    static final String FUNCTION_MODULE = "modules/function_url_lambda";
    static final List<String> VAR_FILES = List.of("envs/preprod.tfvars");
    static final List<String> PLANNED_WITH = List.of(
            "-var-file=envs/preprod.tfvars",
            "-var=environment=local",
            "-var=api_key_sha256=[\"" + Placeholders.DIGEST_MARKER + "\"]",
            "-var=cors_allowed_origins=[\"" + Placeholders.CORS_MARKER + "\"]",
            "-var=local_description=true");
    private static final long STEP_TIMEOUT_SECONDS = 300;

    private TerraformPlan() {
    }

    /** The plan of {@code terraformDir} as {@code terraform show -json} prints it. */
    static String showJson(Path repoRoot, Path terraformDir) {
        return showJson(repoRoot, terraformDir, PLANNED_WITH);
    }

    /** The same with other variable arguments (a test that plans without a marker). */
    static String showJson(Path repoRoot, Path terraformDir, List<String> plannedWith) {
        Path work;
        try {
            work = Files.createTempDirectory("pulse-local-functions-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory", e);
        }
        try {
            Path copy = work.resolve("terraform");
            copyModule(terraformDir, copy);
            for (String artifact : List.of(Artifacts.DASHBOARD_JAR, Artifacts.SSE_ZIP)) {
                Path placeholder = work.resolve(artifact);
                Files.createDirectories(placeholder.getParent());
                Files.write(placeholder, new byte[0]);
            }
            Files.writeString(copy.resolve("zz_local_functions_override.tf"), ROOT_OVERRIDE);
            Path module = copy.resolve(FUNCTION_MODULE);
            if (!Files.isDirectory(module)) {
                throw new IllegalStateException(terraformDir.resolve(FUNCTION_MODULE) + " does not exist: the description "
                        + "stands a marker in for the function_url output of that module");
            }
            Files.writeString(module.resolve("zz_local_functions_override.tf"), MODULE_OVERRIDE);

            run(List.of(repoRoot.resolve("scripts/terraform-init.sh").toString(), copy.toString(), "-no-color"), work);
            List<String> plan = new ArrayList<>(List.of("terraform", "-chdir=" + copy, "plan", "-input=false", "-no-color",
                    "-lock=false", "-refresh=false", "-out=local-functions.tfplan"));
            plan.addAll(plannedWith);
            run(plan, work);
            return run(List.of("terraform", "-chdir=" + copy, "show", "-json", "-no-color", "local-functions.tfplan"), work);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare a copy of " + terraformDir + ": " + e.getMessage(), e);
        } finally {
            deleteTree(work);
        }
    }

    private static final String ROOT_OVERRIDE = """
            # Written by local-lambda (TerraformPlan) into a scratch copy: plan offline, nothing is applied.
            terraform {
              backend "local" {}
            }

            provider "aws" {
              access_key                  = "local-functions"
              secret_key                  = "local-functions"
              skip_credentials_validation = true
              skip_requesting_account_id  = true
              skip_metadata_api_check     = true
            }
            """;

    private static final String MODULE_OVERRIDE = """
            # Written by local-lambda (TerraformPlan) into a scratch copy: AWS assigns a Function URL at creation,
            # so a plan cannot know it; this marker stands in for it, and the local stack puts its own URL there.
            output "function_url" {
              value = "%s"
            }
            """.formatted(Placeholders.urlMarkerExpression("var.function_name"));

    /** Runs one step in {@code work}; its stdout, or an error with its output when it fails. */
    private static String run(List<String> command, Path work) {
        Path out = work.resolve("step.out");
        Path err = work.resolve("step.err");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(work.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Map<String, String> env = builder.environment();
        // Only what this class passes decides the plan: not a developer's TF_VAR_api_key, default arguments,
        // workspace, or AWS profile.
        env.keySet().removeIf(name -> name.startsWith("TF_VAR_") || name.startsWith("TF_CLI_ARGS")
                || name.equals("TF_WORKSPACE") || name.startsWith("AWS_"));
        env.put("TF_IN_AUTOMATION", "1");
        env.put("TF_INPUT", "0");
        env.put("CHECKPOINT_DISABLE", "1");
        String cliConfig = env.get("TF_CLI_CONFIG_FILE");
        if (cliConfig != null && !Files.isRegularFile(Path.of(cliConfig))) {
            env.remove("TF_CLI_CONFIG_FILE"); // a missing file only adds warnings
        }
        try {
            Process process = builder.start();
            if (!process.waitFor(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " took more than " + STEP_TIMEOUT_SECONDS + " s");
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                String output = (stdout + Files.readString(err, StandardCharsets.UTF_8)).strip();
                throw new IllegalStateException(String.join(" ", command.subList(0, Math.min(3, command.size())))
                        + " failed (exit " + process.exitValue() + "):\n" + tail(output));
            }
            return stdout;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
    }

    /** The module as committed: no .terraform/, state, lock file, saved plan, override files or description. */
    private static void copyModule(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path relative = from.relativize(source);
                if (skipped(relative, source)) {
                    continue;
                }
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(source, target);
                }
            }
        }
    }

    private static boolean skipped(Path relative, Path source) {
        if (!ModuleHash.partOfRoot(relative)) {
            return true;
        }
        for (Path part : relative) {
            if (part.toString().equals(".terraform")) {
                return true;
            }
        }
        String name = source.getFileName().toString();
        return Files.isRegularFile(source) && (name.contains(".tfstate") || name.equals(".terraform.lock.hcl")
                || name.endsWith(".tfplan") || name.equals(LocalFunctionsFile.NAME)
                || (name.endsWith(".tf") || name.endsWith(".tf.json")) && !ModuleHash.isModuleFile(name));
    }

    private static String tail(String text) {
        return text.length() > 4000 ? "..." + text.substring(text.length() - 4000) : text;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}

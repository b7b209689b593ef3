package dev.pulse.e2e;


import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decides which two URLs the e2e suite (and the diagnose tool) talks to. docs/architecture.md#the-e2e-suite, first match wins:
 *
 * <ol>
 *   <li>env {@code DASHBOARD_URL} (alias {@code PREPROD_API_URL}) and {@code SSE_LAMBDA_URL};</li>
 *   <li>the outputs JSON file named by {@code E2E_OUTPUTS_FILE};</li>
 *   <li>{@code terraform -chdir=${E2E_TERRAFORM_DIR:-terraform} output -json} (skipped when the
 *       directory does not exist or the setting is {@code none}, which {@code make test} uses so that
 *       a deployed stack is never its target; a failure or an empty state falls through, with the
 *       reason kept for the final error message);</li>
 *   <li>when {@code E2E_TARGET=local}: a local stack started for the run.</li>
 * </ol>
 *
 * <p>Options 1 and 2 are explicit: when set but unusable they fail at once rather than silently
 * testing something else. A dashboard URL without an SSE URL falls back to the dashboard URL with a
 * warning. Nothing found: one {@link TargetException} naming every option and why each did not apply.
 * Relative paths ({@code E2E_OUTPUTS_FILE}, {@code E2E_TERRAFORM_DIR}) are taken from the repository
 * root ({@link RepoRoot}), since Failsafe runs inside {@code e2e-tests/}.
 */
public final class TargetResolver {

    /** Starts a local stack for the run and returns its targets ({@code E2E_TARGET=local}). */
    @FunctionalInterface
    public interface LocalStarter {
        Targets start(Map<String, String> env) throws IOException;
    }

    private final TerraformOutputSource terraform;
    private final LocalStarter local;

    public TargetResolver(TerraformOutputSource terraform, LocalStarter local) {
        this.terraform = Objects.requireNonNull(terraform);
        this.local = Objects.requireNonNull(local);
    }

    /** For tools that must never start processes of their own (the diagnose tool): option 4 is an error. */
    public static final LocalStarter NO_LOCAL_STACK = env -> {
        throw new TargetException("E2E_TARGET=local starts a local stack, which this tool does not do;"
                + " run `make run` and point E2E_OUTPUTS_FILE at target/local-outputs.json");
    };


    /**
     * @throws TargetException when no option applies, or an explicitly chosen one is unusable
     */
    public Targets resolve(Map<String, String> env) {
        Targets fromEnv = fromEnvironment(env);
        if (fromEnv != null) {
            return fromEnv;
        }
        String outputsFile = value(env, "E2E_OUTPUTS_FILE");
        if (outputsFile != null) {
            return fromOutputsFile(RepoRoot.resolve(outputsFile, env));
        }
        List<String> notes = new ArrayList<>();
        Targets fromTerraform = fromTerraform(env, notes);
        if (fromTerraform != null) {
            return fromTerraform;
        }
        String target = value(env, "E2E_TARGET");
        if ("local".equals(target)) {
            try {
                return local.start(env);
            } catch (IOException e) {
                throw new TargetException("E2E_TARGET=local: the local stack could not be started: " + e.getMessage(), e);
            }
        }
        throw new TargetException(noTargetMessage(notes, target));
    }

    private static Targets fromEnvironment(Map<String, String> env) {
        String dashboard = value(env, "DASHBOARD_URL");
        String alias = value(env, "PREPROD_API_URL");
        String sse = value(env, "SSE_LAMBDA_URL");
        List<String> warnings = new ArrayList<>();
        String dashboardName = "DASHBOARD_URL";
        if (dashboard == null && alias != null) {
            dashboard = alias;
            dashboardName = "PREPROD_API_URL";
        } else if (dashboard != null && alias != null
                && !Targets.normalise(dashboard, "DASHBOARD_URL").equals(Targets.normalise(alias, "PREPROD_API_URL"))) {
            warnings.add("DASHBOARD_URL and PREPROD_API_URL differ; using DASHBOARD_URL=" + dashboard);
        }
        if (dashboard == null) {
            if (sse != null) {
                throw new TargetException("SSE_LAMBDA_URL is set but DASHBOARD_URL (or PREPROD_API_URL) is not;"
                        + " set both, or neither to use E2E_OUTPUTS_FILE / terraform outputs / E2E_TARGET=local");
            }
            return null;
        }
        Targets t = Targets.of(dashboard, sse, "env " + dashboardName + (sse == null ? "" : " + SSE_LAMBDA_URL"),
                dashboardName, "SSE_LAMBDA_URL");
        warnings.addAll(t.warnings());
        return new Targets(t.dashboardUrl(), t.sseUrl(), t.source(), warnings);
    }

    private static Targets fromOutputsFile(Path file) {
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TargetException("E2E_OUTPUTS_FILE=" + file + " cannot be read (" + e + ")");
        }
        return Targets.fromOutputsJson(json, "E2E_OUTPUTS_FILE " + file);
    }

    private Targets fromTerraform(Map<String, String> env, List<String> notes) {
        String dirSetting = value(env, "E2E_TERRAFORM_DIR");
        if ("none".equals(dirSetting)) {
            notes.add("E2E_TERRAFORM_DIR=none: terraform outputs not read");
            return null;
        }
        Path dir = RepoRoot.resolve(dirSetting == null ? "terraform" : dirSetting, env);
        String label = "terraform -chdir=" + dir + " output -json";
        if (!Files.isDirectory(dir)) {
            notes.add(label + ": directory does not exist");
            return null;
        }
        String json;
        try {
            json = terraform.outputJson(dir);
        } catch (IOException e) {
            notes.add(label + ": " + e.getMessage());
            return null;
        }
        TerraformOutputs outputs;
        try {
            outputs = TerraformOutputs.parse(json, label);
        } catch (TargetException e) {
            notes.add(e.getMessage());
            return null;
        }
        if (outputs.string(Targets.DASHBOARD_OUTPUT).isEmpty()) {
            notes.add(label + ": no " + Targets.DASHBOARD_OUTPUT + " output"
                    + (outputs.names().isEmpty() ? " (empty state: not applied here)" : " (outputs: " + outputs.names() + ")"));
            return null;
        }
        return Targets.fromOutputsJson(json, label);
    }

    private static String noTargetMessage(List<String> notes, String target) {
        StringBuilder sb = new StringBuilder("No e2e target found. Set one of:\n")
                .append("  1. DASHBOARD_URL (alias PREPROD_API_URL) and SSE_LAMBDA_URL: the two Function URLs;\n")
                .append("  2. E2E_OUTPUTS_FILE: a `terraform output -json` document")
                .append(" (e.g. local-lambda/target/local-outputs.json written by `make run`);\n")
                .append("  3. a deployed Terraform state in E2E_TERRAFORM_DIR (default terraform/), read with")
                .append(" `terraform output -json`;\n")
                .append("  4. E2E_TARGET=local: start a local stack for the run (what `make test` does)")
                .append(target == null ? "" : "; E2E_TARGET is \"" + target + "\"")
                .append(".");
        for (String note : notes) {
            sb.append("\n  (").append(note).append(')');
        }
        return sb.toString();
    }

    private static String value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }
}

package dev.pulse.e2e.diagnose;

import dev.pulse.e2e.RepoRoot;
import dev.pulse.e2e.TargetException;
import dev.pulse.e2e.TerraformCli;
import dev.pulse.e2e.TerraformOutputs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Terraform outputs of a deployment, for the tools that need more than two URLs (function
 * names, log groups): {@code E2E_OUTPUTS_FILE} when set, else
 * {@code terraform -chdir=${E2E_TERRAFORM_DIR:-terraform} output -json}. Also infers the region.
 */
public final class DeployedOutputs {
    private static final Pattern URL_REGION = Pattern.compile("\\.lambda-url\\.([a-z0-9-]+)\\.on\\.aws");

    private DeployedOutputs() {
    }

    /** @throws TargetException with a one-line reason when no outputs can be read */
    public static TerraformOutputs load(Map<String, String> env) {
        String file = blankToNull(env.get("E2E_OUTPUTS_FILE"));
        if (file != null) {
            Path path = RepoRoot.resolve(file, env);
            try {
                return TerraformOutputs.parse(Files.readString(path, StandardCharsets.UTF_8), "E2E_OUTPUTS_FILE " + path);
            } catch (IOException e) {
                throw new TargetException("E2E_OUTPUTS_FILE=" + path + " cannot be read (" + e + ")");
            }
        }
        String dirSetting = blankToNull(env.get("E2E_TERRAFORM_DIR"));
        Path dir = RepoRoot.resolve(dirSetting == null ? "terraform" : dirSetting, env);
        try {
            TerraformOutputs outputs = TerraformOutputs.parse(new TerraformCli().outputJson(dir), "terraform output -json in " + dir);
            if (outputs.names().isEmpty()) {
                throw new TargetException("terraform output -json in " + dir + " is empty: nothing is deployed from there"
                        + " (run `make deploy ENV=...`, or set E2E_OUTPUTS_FILE)");
            }
            return outputs;
        } catch (IOException e) {
            throw new TargetException("no Terraform outputs: set E2E_OUTPUTS_FILE, or initialise " + dir
                    + " for the environment (" + e.getMessage() + ")");
        }
    }

    /** AWS_REGION, else AWS_DEFAULT_REGION, else the region in the dashboard Function URL's host. */
    public static Optional<String> region(Map<String, String> env, TerraformOutputs outputs) {
        String configured = blankToNull(env.get("AWS_REGION"));
        if (configured == null) {
            configured = blankToNull(env.get("AWS_DEFAULT_REGION"));
        }
        if (configured != null) {
            return Optional.of(configured);
        }
        return outputs.string("dashboard_function_url").map(URL_REGION::matcher).filter(Matcher::find).map(m -> m.group(1));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}

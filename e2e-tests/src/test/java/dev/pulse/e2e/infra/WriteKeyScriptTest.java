package dev.pulse.e2e.infra;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code scripts/write-key.sh}, which {@code make plan/deploy} and the deploy workflow run before anything
 * is applied: the key becomes digests only, and no key with public URLs stops the deploy unless open writes
 * were chosen in the environment's tfvars. Runs on a copy of the script beside tfvars files made here.
 */
class WriteKeyScriptTest {

    private static final String PUBLIC = "authorization_type = \"NONE\"\n";
    @TempDir
    Path dir;
    private Path script;

    @BeforeEach
    void copyTheScript() throws IOException {
        assumeTrue(Executables.onPath("bash").isPresent(), "bash is not on PATH");
        script = Script.copyBesideEmptyEnvs("scripts/write-key.sh", dir);
        tfvars("preprod", Files.readString(Script.repo().resolve("terraform/envs/preprod.tfvars")));
    }

    private void tfvars(String env, String content) throws IOException {
        Files.writeString(dir.resolve("terraform/envs/" + env + ".tfvars"), content);
    }

    private Script.Result run(String env, Map<String, String> variables) throws IOException {
        return Script.run(script, List.of(env), variables, dir);
    }

    @Test
    void noKeyForAPublicUrlStopsTheDeploy() throws IOException {
        Script.Result result = run("preprod", Map.of());
        assertEquals(1, result.exitCode(), result::all);
        assertEquals("", result.stdout(), "nothing for Terraform");
        assertTrue(result.stderr().contains("No write key for 'preprod'"), result::all);
        assertTrue(result.stderr().contains("allow_open_writes = true"), "says how to choose open writes: " + result.all());
        // An empty secret (what GitHub passes for a secret that is not set) is no key either.
        assertEquals(1, run("preprod", Map.of("PULSE_API_KEY", "")).exitCode());
    }

    @Test
    void theKeyBecomesItsDigestAndNeverAppearsInTheOutput() throws IOException {
        Script.Result result = run("preprod", Map.of("PULSE_API_KEY", "s3cret wörd"));
        assertEquals(0, result.exitCode(), result::all);
        assertEquals("[\"" + Terraform.sha256Hex("s3cret wörd") + "\"]", result.stdout().strip());
        assertFalse(result.all().contains("s3cret"));
        // TF_VAR_api_key, the variable terraform itself reads, serves when PULSE_API_KEY is not set.
        assertEquals("[\"" + Terraform.sha256Hex("k") + "\"]", run("preprod", Map.of("TF_VAR_api_key", "k")).stdout().strip());
    }

    @Test
    void aRotationGivesBothDigestsNewFirst() throws IOException {
        Script.Result result = run("preprod", Map.of("PULSE_API_KEY", "new", "PULSE_API_KEY_PREVIOUS", "old"));
        assertEquals(0, result.exitCode(), result::all);
        assertEquals("[\"" + Terraform.sha256Hex("new") + "\",\"" + Terraform.sha256Hex("old") + "\"]", result.stdout().strip());
        assertEquals("[\"" + Terraform.sha256Hex("same") + "\"]",
                run("preprod", Map.of("PULSE_API_KEY", "same", "PULSE_API_KEY_PREVIOUS", "same")).stdout().strip());
        Script.Result previousOnly = run("preprod", Map.of("PULSE_API_KEY_PREVIOUS", "old"));
        assertEquals(2, previousOnly.exitCode(), previousOnly::all);
    }

    @Test
    void openWritesOnPurposeOrIamAuthNeedNoKey() throws IOException {
        tfvars("open", PUBLIC + "allow_open_writes = true # on purpose: a demo\n");
        assertEquals("[]", run("open", Map.of()).stdout().strip());
        tfvars("iam", "authorization_type = \"AWS_IAM\"\n");
        assertEquals("[]", run("iam", Map.of()).stdout().strip());
        // The tfvars file wins over TF_VAR_*, as it does in terraform.
        tfvars("closed", PUBLIC + "allow_open_writes = false\n");
        assertEquals(1, run("closed", Map.of("TF_VAR_allow_open_writes", "true")).exitCode());
        assertEquals("[]", run("preprod", Map.of("TF_VAR_allow_open_writes", "true")).stdout().strip());
    }

    @Test
    void digestsGivenDirectlyPassThroughButNotBesideAKey() throws IOException {
        String digests = "[\"" + Terraform.sha256Hex("k") + "\"]";
        assertEquals(digests, run("preprod", Map.of("TF_VAR_api_key_sha256", digests)).stdout().strip());
        assertEquals(2, run("preprod", Map.of("TF_VAR_api_key_sha256", digests, "PULSE_API_KEY", "k")).exitCode());
        assertEquals(1, run("preprod", Map.of("TF_VAR_api_key_sha256", "[]")).exitCode(), "an empty list is no key");
    }

    @Test
    void anUnknownEnvironmentIsAUsageError() throws IOException {
        Script.Result result = run("staging", Map.of("PULSE_API_KEY", "k"));
        assertEquals(2, result.exitCode());
        assertTrue(result.stderr().contains("terraform/envs/staging.tfvars does not exist"), result::all);
    }
}

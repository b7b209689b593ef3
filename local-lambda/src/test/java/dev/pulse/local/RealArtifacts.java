package dev.pulse.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The repository's real function artifacts, for the *IT tests: missing ones fail with how to build them. */
final class RealArtifacts {

    private RealArtifacts() {
    }

    static Path repoRoot() {
        return Artifacts.repoRoot(System.getenv(), Path.of("").toAbsolutePath());
    }

    /** Fails the test (never skips) when an artifact is missing. */
    static void require() {
        Path root = repoRoot();
        for (String artifact : new String[] {Artifacts.DASHBOARD_JAR, Artifacts.SSE_ZIP}) {
            if (!Files.isRegularFile(root.resolve(artifact))) {
                throw new AssertionError(root.resolve(artifact) + " is missing: these integration tests run the real "
                        + "function artifacts; build them first (`make build`, or `mvn -pl dashboard-handler,sse-handler -am "
                        + "package -DskipTests` in " + root + "); `make test` builds them before this module");
            }
        }
    }

    /** A configuration as the e2e suite uses it: free ports, short streams. */
    static LocalPulseConfig config(Path outputs, Map<String, String> more) {
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "PULSE_REPO_ROOT", repoRoot().toString(),
                "PULSE_DASHBOARD_PORT", "0",
                "PULSE_SSE_PORT", "0",
                "PULSE_OUTPUTS_FILE", outputs.toString(),
                "SSE_MAX_STREAM_SECONDS", "3",
                "SSE_POLL_INTERVAL_MS", "200",
                "SSE_HEARTBEAT_INTERVAL_SECONDS", "1",
                // behaviour, not speed: CpuShareIT runs with the share
                "PULSE_CPU_SHARE", "off"));
        env.putAll(more);
        return LocalPulseConfig.fromEnvironment(env, Path.of("").toAbsolutePath());
    }
}

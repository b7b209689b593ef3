package dev.pulse.local;

import dev.pulse.emulators.CpuShares;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lambda's CPU share on the real stack: once its runtime has asked for work, the SSE function's environment runs in a
 * cgroup of its own whose quota is its memory's share of a vCPU (256 MB planned: 0.1447). Skips, saying why, where the
 * machine gives this process no cgroup to write.
 */
class CpuShareIT {

    @Test
    void anEnvironmentRunsItsInvocationsWithItsMemorysShareOfAVcpu() throws Exception {
        RealArtifacts.require();
        CpuShares probe = CpuShares.detect("pulse-local-probe-" + ProcessHandle.current().pid());
        probe.close();
        Assumptions.assumeTrue(probe.available(), "CPU share not testable here: " + probe.description());
        LocalPulseConfig config = RealArtifacts.config(Files.createTempDirectory("pulse-it-").resolve("outputs.json"),
                Map.of("PULSE_CPU_SHARE", "on"));
        try (LocalPulse stack = LocalPulse.start(config, new dev.pulse.local.lambda.CapturedLog())) {
            stack.awaitAnswering(Duration.ofSeconds(90));
            URI stream = stack.url("sse").resolve("api/v2/stream");
            HttpResponse<InputStream> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(stream).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, response.statusCode());
            response.body().read();   // the first byte: the environment has asked for work
            List<ProcessHandle> environments = stack.functions().processes(stack.spec("sse").name());
            assertEquals(1, environments.size());
            Path group = cpuGroup(environments.getFirst().pid());
            assertTrue(group.toString().contains("pulse-local-"), "the environment's own cgroup: " + group);
            long[] quotaAndPeriod = quota(group);
            assertEquals(Math.round(256.0 / CpuShares.MB_PER_VCPU * quotaAndPeriod[1]), quotaAndPeriod[0],
                    "256 MB's share of a vCPU");
            response.body().close();
        }
    }

    /** The cgroup directory of a process's cpu controller, from /proc/pid/cgroup: v1's, else v2's unified one. */
    private static Path cpuGroup(long pid) throws Exception {
        String unified = null;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "cgroup"))) {
            String[] parts = line.split(":", 3);
            if (List.of(parts[1].split(",")).contains("cpu")) {
                return Path.of("/sys/fs/cgroup/cpu" + parts[2]);
            }
            if (parts[0].equals("0") && parts[1].isEmpty()) {
                unified = parts[2];
            }
        }
        if (unified == null) {
            throw new AssertionError("no cpu cgroup for " + pid);
        }
        return Path.of("/sys/fs/cgroup" + unified);
    }

    /** The group's quota and period in microseconds (v1's two files, or v2's cpu.max). */
    private static long[] quota(Path group) throws Exception {
        if (Files.exists(group.resolve("cpu.max"))) {
            String[] max = Files.readString(group.resolve("cpu.max")).strip().split(" ");
            return new long[]{max[0].equals("max") ? -1 : Long.parseLong(max[0]), Long.parseLong(max[1])};
        }
        return new long[]{Long.parseLong(Files.readString(group.resolve("cpu.cfs_quota_us")).strip()),
                Long.parseLong(Files.readString(group.resolve("cpu.cfs_period_us")).strip())};
    }
}

package dev.pulse.emulators;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The quota files each cgroup version takes, written into a cgroup tree laid out in a temporary directory. */
class CpuSharesTest {

    @Test
    void cgroupV1_aGroupPerEnvironmentWithAPeriod_andAQuotaOfItsShareFromTheLimitOn() throws Exception {
        Path root = Files.createTempDirectory("cgroup-v1-");
        Files.createDirectories(root.resolve("cpu"));
        Files.writeString(root.resolve("cpu/cpu.cfs_quota_us"), "-1");
        CpuShares shares = CpuShares.detect(root, "pulse-local-1");
        assertTrue(shares.available(), shares.description());
        assertTrue(shares.description().contains("cgroup v1"));
        CpuShares.Group group = shares.group("pulse-local-sse env 1");
        Path dir = root.resolve("cpu/pulse-local-1/pulse-local-sse_env_1");
        assertEquals("100000", Files.readString(dir.resolve("cpu.cfs_period_us")));
        group.add(4242);
        assertEquals("4242", Files.readString(dir.resolve("cgroup.procs")));
        group.limit(CpuShares.onDemandVcpus(256));
        assertEquals("14471", Files.readString(dir.resolve("cpu.cfs_quota_us")), "256 MB: 0.1447 of a vCPU");
        assertEquals(0.14471, group.vcpus(), 1e-9);
        group.limit(0);
        assertEquals("-1", Files.readString(dir.resolve("cpu.cfs_quota_us")), "no limit");
    }

    @Test
    void cgroupV2_cpuEnabledForTheGroups_andCpuMaxFromTheLimitOn() throws Exception {
        Path root = Files.createTempDirectory("cgroup-v2-");
        Files.writeString(root.resolve("cgroup.controllers"), "cpuset cpu io memory pids");
        Files.writeString(root.resolve("cgroup.subtree_control"), "memory");
        Files.createDirectories(root.resolve("pulse-local-2"));
        Files.writeString(root.resolve("pulse-local-2/cgroup.subtree_control"), "");
        CpuShares shares = CpuShares.detect(root, "pulse-local-2");
        assertTrue(shares.available(), shares.description());
        assertEquals("+cpu", Files.readString(root.resolve("cgroup.subtree_control")));
        assertEquals("+cpu", Files.readString(root.resolve("pulse-local-2/cgroup.subtree_control")));
        CpuShares.Group group = shares.group("dashboard-env-1");
        group.limit(CpuShares.onDemandVcpus(1769));
        assertEquals("100000 100000", Files.readString(root.resolve("pulse-local-2/dashboard-env-1/cpu.max")), "one vCPU");
        group.limit(0);
        assertEquals("max 100000", Files.readString(root.resolve("pulse-local-2/dashboard-env-1/cpu.max")));
    }

    @Test
    void withoutACpuController_itSaysWhy_andItsGroupsDoNothing() throws Exception {
        Path root = Files.createTempDirectory("no-cgroup-");
        CpuShares shares = CpuShares.detect(root, "pulse-local-3");
        assertFalse(shares.available());
        assertTrue(shares.description().contains("no cgroup cpu controller"), shares.description());
        CpuShares.Group group = shares.group("x");
        group.add(1);
        group.limit(0.5);
        assertEquals(0, group.vcpus());
    }
}

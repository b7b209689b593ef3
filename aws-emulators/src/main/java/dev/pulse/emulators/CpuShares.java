package dev.pulse.emulators;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Lambda's CPU share, emulated with the kernel's CPU quota, for every process that stands in for an execution
 * environment (the local stack's and the benches'): it runs in a cgroup of its own, with
 * no limit during init (Lambda gives init a burst) and, from the runtime's first {@code /next} on, a quota of its share
 * of a vCPU (Lambda's is memory / {@value #MB_PER_VCPU} MB on demand). cgroup v1's {@code cpu} controller
 * ({@code cpu.cfs_quota_us}) or v2's ({@code cpu.max}), whichever the machine has and lets this process write; where
 * neither does (no root, macOS), {@link #available()} is false, {@link #description()} says why, and environments run
 * with the machine's CPUs.
 */
public final class CpuShares implements AutoCloseable {

    /** Lambda gives a function one vCPU at 1,769 MB of memory, in proportion below and above. */
    public static final int MB_PER_VCPU = 1769;
    static final long PERIOD_MICROS = 100_000;

    private final Path parent;
    private final boolean v2;
    private final String description;

    private CpuShares(Path parent, boolean v2, String description) {
        this.parent = parent;
        this.v2 = v2;
        this.description = description;
    }

    /** No CPU shares: environments run with the machine's CPUs; {@code why} is said once by the caller. */
    public static CpuShares off(String why) {
        return new CpuShares(null, false, why);
    }

    /**
     * The CPU controller of this machine, with a group for this emulator named {@code owner} (its environments' groups
     * go inside it); off, with the reason, where there is none this process may write.
     */
    public static CpuShares detect(String owner) {
        return detect(Path.of("/sys/fs/cgroup"), owner);
    }

    static CpuShares detect(Path root, String owner) {
        Path v1 = root.resolve("cpu");
        if (Files.isRegularFile(v1.resolve("cpu.cfs_quota_us"))) {
            return create(v1, owner, false);
        }
        Path controllers = root.resolve("cgroup.controllers");
        try {
            if (Files.isRegularFile(controllers) && Files.readString(controllers).contains("cpu")) {
                return create(root, owner, true);
            }
        } catch (IOException e) {
            return off("cannot read " + controllers + ": " + e.getMessage());
        }
        return off("no cgroup cpu controller under " + root + " (not Linux, or no cgroups mounted)");
    }

    private static CpuShares create(Path controllerRoot, String owner, boolean v2) {
        Path parent = controllerRoot.resolve(owner);
        try {
            Files.createDirectories(parent);
            if (v2) {
                enableCpu(controllerRoot);
                enableCpu(parent);
            }
            return new CpuShares(parent, v2, "a CPU quota per environment (cgroup " + (v2 ? "v2" : "v1") + ", " + parent + ")");
        } catch (IOException | RuntimeException e) {
            return off("no write access to " + controllerRoot + " (" + e.getMessage() + ")");
        }
    }

    private static void enableCpu(Path group) throws IOException {
        Path control = group.resolve("cgroup.subtree_control");
        if (!Files.readString(control).contains("cpu")) {
            Files.writeString(control, "+cpu");
        }
    }

    public boolean available() {
        return parent != null;
    }

    /** How environments get their CPU share, or why they do not. */
    public String description() {
        return description;
    }

    /** A group for one environment; a no-op group when shares are off. */
    public Group group(String name) throws IOException {
        if (parent == null) {
            return new Group(null, false);
        }
        Path group = parent.resolve(name.replaceAll("[^A-Za-z0-9_.-]", "_"));
        Files.createDirectories(group);
        if (!v2) {
            Files.writeString(group.resolve("cpu.cfs_period_us"), Long.toString(PERIOD_MICROS));
        }
        return new Group(group, v2);
    }

    /** Removes this emulator's group (its environments' groups are gone with their processes). */
    @Override
    public void close() {
        if (parent == null) {
            return;
        }
        try (Stream<Path> children = Files.list(parent)) {
            children.filter(Files::isDirectory).forEach(Group::remove);
        } catch (IOException ignored) {
            // already gone
        }
        Group.remove(parent);
    }

    /** One environment's cgroup. */
    public static final class Group implements AutoCloseable {
        private final Path path;
        private final boolean v2;

        private Group(Path path, boolean v2) {
            this.path = path;
            this.v2 = v2;
        }

        /** Moves a process, with all its threads, into the group. */
        public void add(long pid) throws IOException {
            if (path != null) {
                Files.writeString(path.resolve("cgroup.procs"), Long.toString(pid));
            }
        }

        /** Limits the group to {@code vcpus} of a CPU from now on; 0 or less lifts the limit. */
        public void limit(double vcpus) throws IOException {
            if (path == null) {
                return;
            }
            long quota = vcpus > 0 ? Math.max(1000, Math.round(vcpus * PERIOD_MICROS)) : -1;
            if (v2) {
                Files.writeString(path.resolve("cpu.max"), (quota < 0 ? "max" : Long.toString(quota)) + " " + PERIOD_MICROS);
            } else {
                Files.writeString(path.resolve("cpu.cfs_quota_us"), Long.toString(quota));
            }
        }

        /** The quota now set, in vCPUs; 0 when unlimited (for tests). */
        double vcpus() throws IOException {
            if (path == null) {
                return 0;
            }
            String text = Files.readString(path.resolve(v2 ? "cpu.max" : "cpu.cfs_quota_us")).strip();
            String quota = v2 ? text.split(" ")[0] : text;
            return quota.equals("max") || quota.startsWith("-") ? 0 : Long.parseLong(quota) / (double) PERIOD_MICROS;
        }

        @Override
        public void close() {
            if (path != null) {
                remove(path);
            }
        }

        /** rmdir: a cgroup with no process left is removed by removing its directory (its files go with it). */
        static void remove(Path group) {
            try {
                Files.deleteIfExists(group);
            } catch (IOException ignored) {
                // a process is still in it, or it is gone: the next start of the emulator tries again
            }
        }
    }

    /** vCPUs of an on-demand environment of {@code memoryMb}: Lambda's share. */
    public static double onDemandVcpus(int memoryMb) {
        return memoryMb / (double) MB_PER_VCPU;
    }

    /** vCPUs of a Managed Instances environment of {@code memoryMb}: one per {@code gibPerVcpu} GiB of its memory. */
    public static double managedInstancesVcpus(int memoryMb, int gibPerVcpu) {
        return memoryMb / (gibPerVcpu * 1024.0);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "CpuShares[%s]", description);
    }
}

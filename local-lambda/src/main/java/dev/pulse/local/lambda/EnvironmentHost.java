package dev.pulse.local.lambda;

import dev.pulse.emulators.CpuShares;

import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * What the emulator gives every execution environment it starts: its timers, where the emulator's own lines about it
 * go, where the lines its function writes go, and its CPU share.
 */
record EnvironmentHost(ScheduledExecutorService timers, Consumer<String> log, FunctionOutput output, CpuShares cpu) {
}

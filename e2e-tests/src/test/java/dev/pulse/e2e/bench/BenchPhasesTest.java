package dev.pulse.e2e.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code BENCH_PHASES}: which of the bench's phases run, and a clear error for a name it does not know. */
class BenchPhasesTest {

    @Test
    void unsetOrBlankRunsEveryPhase() {
        assertEquals(List.of("streams", "writes", "managed-instances", "logging"), BenchMain.phases(null));
        assertEquals(BenchMain.PHASES, BenchMain.phases(" "));
    }

    @Test
    void aListRunsThosePhasesInTheBenchOrder_andTheModuleBenchesAreTheMakefiles() {
        assertEquals(List.of("writes"), BenchMain.phases("writes"));
        assertEquals(List.of("streams", "writes"), BenchMain.phases("Writes, streams"));
        assertEquals(List.of("writes"), BenchMain.phases("runtime,writes"));
        assertEquals(List.of(), BenchMain.phases("runtime"));
        assertEquals(List.of("managed-instances"), BenchMain.phases("coldstarts, environments, managed-instances"));
    }

    @Test
    void anUnknownPhaseNamesTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchMain.phases("write"));
        assertTrue(e.getMessage().contains("'write'") && e.getMessage().contains("runtime, environments, coldstarts, streams, writes, managed-instances, logging"), e.getMessage());
    }
}

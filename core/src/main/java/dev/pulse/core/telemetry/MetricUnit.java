package dev.pulse.core.telemetry;

/** The units Pulse's metrics use, by their names in the Embedded Metric Format (MetricDefinition {@code Unit}). */
public enum MetricUnit {
    COUNT("Count"), MILLISECONDS("Milliseconds");

    private final String emfName;

    MetricUnit(String emfName) {
        this.emfName = emfName;
    }

    public String emfName() {
        return emfName;
    }
}

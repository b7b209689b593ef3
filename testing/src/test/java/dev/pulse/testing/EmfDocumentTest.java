package dev.pulse.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checker the format tests rely on: it passes the specification's own example and catches each broken rule. */
class EmfDocumentTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The shape of the specification's example document. */
    private static final String VALID = """
            {"_aws":{"Timestamp":1574109732004,"CloudWatchMetrics":[{"Namespace":"lambda-function-metrics",
             "Dimensions":[["functionVersion"]],"Metrics":[{"Name":"time","Unit":"Milliseconds","StorageResolution":60}]}]},
             "functionVersion":"$LATEST","time":100,"requestId":"989ffbf8-9ace-4817-a57c-e4dd734019ee"}""";

    @Test
    void theSpecificationsExampleHasNoProblem() throws Exception {
        assertEquals(List.of(), EmfDocument.problems(MAPPER.readTree(VALID)));
        assertTrue(EmfDocument.isEmf(MAPPER.readTree(VALID)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no Timestamp|\"Timestamp\":1574109732004,|\"x\":1,|Timestamp",
            "Timestamp as a string|\"Timestamp\":1574109732004|\"Timestamp\":\"1574109732004\"|Timestamp",
            "no directive|[{\"Namespace\":\"lambda-function-metrics\",|[],\"y\":[{\"Namespace\":\"lambda-function-metrics\",|CloudWatchMetrics",
            "no Namespace|\"Namespace\":\"lambda-function-metrics\",|''|Namespace",
            "a dimension that is not a member|[[\"functionVersion\"]]|[[\"functionVersion\",\"region\"]]|region",
            "a dimension that is not a string|\"functionVersion\":\"$LATEST\"|\"functionVersion\":3|functionVersion",
            "a metric that is not a member|\"time\":100,|''|time",
            "a metric that is a string|\"time\":100|\"time\":\"100\"|time",
            "a value that is not a number|\"time\":100|\"time\":[1,\"2\"]|numbers",
            "a unit not in the list|\"Unit\":\"Milliseconds\"|\"Unit\":\"ms\"|Unit",
            "a storage resolution of 5|\"StorageResolution\":60|\"StorageResolution\":5|StorageResolution",
            "an extra member in a directive|\"Dimensions\":|\"Extra\":1,\"Dimensions\":|Extra"})
    void eachBrokenRuleIsNamed(String rule, String from, String to, String named) throws Exception {
        JsonNode broken = MAPPER.readTree(VALID.replace(from, to));
        List<String> problems = EmfDocument.problems(broken);
        assertTrue(problems.stream().anyMatch(p -> p.contains(named)), rule + ": " + problems);
    }

    @Test
    void moreThanAHundredValuesIsAProblem() throws Exception {
        StringBuilder values = new StringBuilder("[");
        for (int i = 0; i <= 100; i++) {
            values.append(i == 0 ? "" : ",").append(i);
        }
        JsonNode broken = MAPPER.readTree(VALID.replace("\"time\":100", "\"time\":" + values + "]"));
        assertTrue(EmfDocument.problems(broken).stream().anyMatch(p -> p.contains("1-100 numbers")), EmfDocument.problems(broken)::toString);
    }
}

package dev.pulse.e2e.diagnose;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.ServiceMetadata;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

/**
 * The state of CloudWatch alarms, read with {@code DescribeAlarms} over CloudWatch's Query protocol (a signed
 * form POST with an XML answer). Not the SDK's CloudWatch client: the SDK speaks only the newer RPCv2-CBOR
 * protocol to CloudWatch, which moto (the infra tier's AWS) does not; CloudWatch itself speaks both.
 *
 * <p>Endpoint, credentials and region follow the SDK's standard settings: {@code aws.endpointUrlCloudWatch} /
 * {@code AWS_ENDPOINT_URL_CLOUDWATCH}, then {@code aws.endpointUrl} / {@code AWS_ENDPOINT_URL}, else the
 * region's CloudWatch endpoint; the default credential chain.
 */
public final class CloudWatchAlarms implements AutoCloseable {

    /** One alarm as CloudWatch reports it; {@code state} is OK, ALARM or INSUFFICIENT_DATA. */
    public record Alarm(String name, String state, String reason, String metric) {
    }

    /** CloudWatch answered with an error (access denied, throttled...) or not at all. */
    public static final class AlarmsException extends Exception {
        AlarmsException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final String VERSION = "2010-08-01";

    private final URI endpoint;
    private final String region;
    private final AwsCredentialsProvider credentials;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public CloudWatchAlarms(URI endpoint, String region, AwsCredentialsProvider credentials) {
        this.endpoint = endpoint;
        this.region = region;
        this.credentials = credentials;
    }

    /** With the SDK's standard endpoint settings (see the class comment) and the default credential chain. */
    public static CloudWatchAlarms create(String region) {
        return new CloudWatchAlarms(endpoint(region, System::getProperty, System::getenv), region,
                DefaultCredentialsProvider.builder().build());
    }

    static URI endpoint(String region, Function<String, String> properties, Function<String, String> env) {
        for (String configured : new String[] {properties.apply("aws.endpointUrlCloudWatch"),
                env.apply("AWS_ENDPOINT_URL_CLOUDWATCH"), properties.apply("aws.endpointUrl"), env.apply("AWS_ENDPOINT_URL")}) {
            if (configured != null && !configured.isBlank()) {
                return URI.create(configured.strip());
            }
        }
        return URI.create("https://" + ServiceMetadata.of("monitoring").endpointFor(Region.of(region)));
    }

    /** The named alarms that exist (an unknown name is simply absent from the answer). */
    public List<Alarm> describe(List<String> names) throws AlarmsException {
        List<Alarm> alarms = new ArrayList<>();
        for (int from = 0; from < names.size(); from += 100) { // DescribeAlarms takes 100 names at a time
            Map<String, String> parameters = new LinkedHashMap<>();
            List<String> page = names.subList(from, Math.min(names.size(), from + 100));
            for (int i = 0; i < page.size(); i++) {
                parameters.put("AlarmNames.member." + (i + 1), page.get(i));
            }
            parameters.put("MaxRecords", "100");
            Document answer = call("DescribeAlarms", parameters);
            NodeList members = answer.getElementsByTagName("MetricAlarms");
            if (members.getLength() == 0) {
                continue;
            }
            NodeList list = ((Element) members.item(0)).getChildNodes();
            for (int i = 0; i < list.getLength(); i++) {
                if (list.item(i) instanceof Element member && member.getTagName().equals("member")) {
                    alarms.add(new Alarm(text(member, "AlarmName"), text(member, "StateValue"), text(member, "StateReason"),
                            text(member, "MetricName")));
                }
            }
        }
        return alarms;
    }

    /**
     * Sets an alarm's state until its next evaluation ({@code SetAlarmState}): what an operator does to test
     * an alarm's notifications, and what the tests do to see diagnose report one.
     */
    public void setState(String name, String state, String reason) throws AlarmsException {
        call("SetAlarmState", Map.of("AlarmName", name, "StateValue", state, "StateReason", reason));
    }

    private Document call(String action, Map<String, String> parameters) throws AlarmsException {
        StringBuilder body = new StringBuilder("Action=").append(action).append("&Version=").append(VERSION);
        parameters.forEach((k, v) -> body.append('&').append(encode(k)).append('=').append(encode(v)));
        try {
            HttpResponse<byte[]> response = QueryApi.post(http, endpoint, "monitoring", region,
                    credentials.resolveCredentials(), body.toString());
            Document document = parse(response.body());
            if (response.statusCode() != 200) {
                throw new AlarmsException("CloudWatch " + action + " answered " + response.statusCode() + ": "
                        + text(document.getDocumentElement(), "Code") + " " + text(document.getDocumentElement(), "Message"), null);
            }
            return document;
        } catch (IOException | SAXException | ParserConfigurationException | RuntimeException e) {
            throw new AlarmsException("CloudWatch " + action + " at " + endpoint + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AlarmsException("interrupted", e);
        }
    }

    private static Document parse(byte[] xml) throws ParserConfigurationException, IOException, SAXException {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setExpandEntityReferences(false);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    }

    /** The text of the first descendant named {@code tag}, or "" when there is none. */
    private static String text(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().strip();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void close() {
        http.close();
    }
}

package dev.upstreamhealth.diagnosis;

import dev.upstreamhealth.api.CdnSpec;
import dev.upstreamhealth.api.GatewaySpec;
import dev.upstreamhealth.api.MaintenanceSpec;
import dev.upstreamhealth.api.OriginSpec;
import dev.upstreamhealth.api.ProbeSpec;
import dev.upstreamhealth.api.SiteSpec;
import dev.upstreamhealth.probe.StatusRanges;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What in a spec the operator cannot use, each naming the field, the value and what to fix.
 * Every constraint of the CRD schema is checked here too: an API server without the schema (or
 * an object stored before it) lets anything in, and a bad value must be an answer, not a probe
 * that times out.
 */
public final class SpecProblems {
  private static final Pattern OBJECT_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  private SpecProblems() {}

  public static List<String> of(SiteSpec spec) {
    List<String> problems = new ArrayList<>();
    if (spec == null) {
      return List.of("spec is missing; set at least spec.host and spec.origin.ingressName");
    }
    if (spec.getUnreadable() != null) {
      return List.of(spec.getUnreadable());
    }
    host(spec.getHost(), problems);
    origin(spec.getOrigin(), problems);
    gateway(spec.getGateway(), problems);
    probe(spec.getProbe(), problems);
    maintenance(spec.getMaintenance(), problems);
    cdn(spec.getCdn(), problems);
    return problems;
  }

  private static void host(String host, List<String> problems) {
    if (host == null || host.isBlank()) {
      problems.add("spec.host is empty; set the public hostname the CDN serves");
      return;
    }
    String name = host.startsWith("*.") ? host.substring(2) : host;
    boolean labelsFit = true;
    for (String label : name.split("\\.", -1)) {
      labelsFit &= label.length() <= 63;
    }
    if (host.length() > 253 || !labelsFit || !OBJECT_NAME.matcher(name).matches()) {
      problems.add("spec.host " + quoted(host) + " is not a lower-case DNS name (letters, digits, '-' and '.',"
          + " labels of at most 63 characters, 253 in all)");
    }
  }

  private static void origin(OriginSpec origin, List<String> problems) {
    if (origin == null) {
      problems.add("spec.origin is missing; set spec.origin.ingressName (an Ingress) or spec.origin.httpRouteName"
          + " (an HTTPRoute) in this namespace");
      return;
    }
    boolean ingress = !isBlank(origin.getIngressName());
    boolean route = !isBlank(origin.getHttpRouteName());
    if (ingress == route) {
      problems.add(ingress
          ? "spec.origin.ingressName " + quoted(origin.getIngressName()) + " and spec.origin.httpRouteName "
              + quoted(origin.getHttpRouteName()) + " are both set; keep the one that routes spec.host"
          : "spec.origin names no route; set spec.origin.ingressName (an Ingress) or spec.origin.httpRouteName (an HTTPRoute) in this namespace");
    }
    objectName("spec.origin.ingressName", origin.getIngressName(), problems);
    objectName("spec.origin.httpRouteName", origin.getHttpRouteName(), problems);
    range("spec.origin.port", origin.getPort(), 0, 65535, " (0 derives it from the route's TLS)", problems);
    oneOf("spec.origin.scheme", origin.getScheme(), List.of("", "http", "https"), problems);
    oneOf("spec.origin.proxyProtocol", origin.getProxyProtocol(), List.of("", "none", "v1", "v2"), problems);
    String address = origin.getAddress() == null ? "" : origin.getAddress().strip();
    if (address.length() > 253 || (!address.isEmpty() && NetworkAddress.parse(address).isEmpty())) {
      problems.add("spec.origin.address " + quoted(address) + " is not an IP address or a DNS name");
    }
  }

  private static void gateway(GatewaySpec gateway, List<String> problems) {
    if (gateway == null) {
      return;
    }
    if (isBlank(gateway.getServiceName()) || isBlank(gateway.getServiceNamespace())) {
      problems.add("spec.gateway needs both serviceNamespace and serviceName of the ingress controller's Service");
      return;
    }
    label("spec.gateway.serviceNamespace", gateway.getServiceNamespace(), problems);
    label("spec.gateway.serviceName", gateway.getServiceName(), problems);
  }

  private static void probe(ProbeSpec probe, List<String> problems) {
    if (probe == null) {
      return;
    }
    path(probe.getPath(), problems);
    range("spec.probe.intervalSeconds", probe.getIntervalSeconds(), 1, 86400, "", problems);
    range("spec.probe.timeoutSeconds", probe.getTimeoutSeconds(), 1, 3600, "", problems);
    range("spec.probe.failureThreshold", probe.getFailureThreshold(), 1, 100, "", problems);
    range("spec.probe.successThreshold", probe.getSuccessThreshold(), 1, 100, "", problems);
    range("spec.probe.certificateWarningDays", probe.getCertificateWarningDays(), 0, 3650, " (0 turns the warning off)",
        problems);
    // Compared with the defaults filled in: a timeout of 40 with no interval meets the default 30.
    int interval = probe.getIntervalSeconds() == null ? new ProbeSpec().getIntervalSeconds() : probe.getIntervalSeconds();
    int timeout = probe.getTimeoutSeconds() == null ? new ProbeSpec().getTimeoutSeconds() : probe.getTimeoutSeconds();
    if (timeout >= interval) {
      problems.add("spec.probe.timeoutSeconds (" + timeout + ") must be less than spec.probe.intervalSeconds ("
          + interval + ")");
    }
    String expected = probe.getExpectedStatus() == null ? "200-399" : probe.getExpectedStatus();
    if (expected.length() > 256) {
      problems.add("spec.probe.expectedStatus is longer than 256 characters");
    } else {
      try {
        StatusRanges.parse(expected);
      } catch (IllegalArgumentException e) {
        problems.add("spec." + e.getMessage());
      }
    }
  }

  /** What goes on the request line as it is: no spaces, no control characters, nothing a gateway would reject. */
  private static void path(String path, List<String> problems) {
    if (path == null) {
      return;
    }
    if (!path.startsWith("/")) {
      problems.add("spec.probe.path " + quoted(path) + " must start with /");
    }
    if (path.length() > 2048) {
      problems.add("spec.probe.path is longer than 2048 characters");
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        problems.add("spec.probe.path " + quoted(path) + " contains " + describe(c) + " at position " + i
            + "; a request path is printable ASCII: percent-encode it (a space is %20)");
        return;
      }
    }
  }

  private static void maintenance(MaintenanceSpec maintenance, List<String> problems) {
    // Characters as the schema's maxLength counts them: code points, so an emoji is one, not two.
    String message = maintenance == null ? null : maintenance.getMessage();
    if (message != null && message.codePointCount(0, message.length()) > 1024) {
      problems.add("spec.maintenance.message is longer than 1024 characters");
    }
  }

  private static void cdn(CdnSpec cdn, List<String> problems) {
    if (cdn == null) {
      return;
    }
    range("spec.cdn.readTimeoutSeconds", cdn.getReadTimeoutSeconds(), 1, 6000, " (Cloudflare waits 100)", problems);
    if (cdn.getSourceRanges() == null) {
      return;
    }
    if (cdn.getSourceRanges().size() > 256) {
      problems.add("spec.cdn.sourceRanges lists " + cdn.getSourceRanges().size() + " ranges; at most 256");
    }
    for (String range : cdn.getSourceRanges()) {
      try {
        Cidr.parse(range);
      } catch (IllegalArgumentException e) {
        problems.add("spec.cdn.sourceRanges: " + e.getMessage() + "; use CIDRs such as 173.245.48.0/20");
      }
    }
  }

  private static void objectName(String field, String value, List<String> problems) {
    if (!isBlank(value) && (value.length() > 253 || !OBJECT_NAME.matcher(value).matches())) {
      problems.add(field + " " + quoted(value) + " is not a Kubernetes object name (lower-case letters, digits, '-' and '.')");
    }
  }

  private static void label(String field, String value, List<String> problems) {
    if (value.length() > 63 || !DNS_LABEL.matcher(value).matches()) {
      problems.add(field + " " + quoted(value) + " is not a Kubernetes name (lower-case letters, digits and '-')");
    }
  }

  private static void range(String field, Integer value, int min, int max, String note, List<String> problems) {
    if (value != null && (value < min || value > max)) {
      problems.add(field + " " + value + " is outside " + min + "-" + max + note);
    }
  }

  private static void oneOf(String field, String value, List<String> allowed, List<String> problems) {
    if (value != null && !allowed.contains(value)) {
      problems.add(field + " " + quoted(value) + " must be one of " + String.join(", ",
          allowed.stream().map(a -> a.isEmpty() ? "empty" : a).toList()));
    }
  }

  private static String describe(char c) {
    return c == ' ' ? "a space" : c == '\t' ? "a tab" : c < 0x20 || c == 0x7f
        ? String.format("the control character U+%04X", (int) c) : String.format("the non-ASCII character U+%04X", (int) c);
  }

  /** The value as JSON would show it, so control characters are visible in the message. */
  private static String quoted(String value) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\u%04x", (int) c));
      } else if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}

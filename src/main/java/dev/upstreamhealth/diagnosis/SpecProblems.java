package dev.upstreamhealth.diagnosis;

import dev.upstreamhealth.api.GatewaySpec;
import dev.upstreamhealth.api.OriginSpec;
import dev.upstreamhealth.api.ProbeSpec;
import dev.upstreamhealth.api.SiteSpec;
import dev.upstreamhealth.probe.StatusRanges;
import java.util.ArrayList;
import java.util.List;

/**
 * What in a spec the operator cannot use, each with what to fix. The CRD schema rejects most of
 * this at apply time; this catches what a schema cannot (or a cluster without the schema let in).
 */
public final class SpecProblems {
  private SpecProblems() {}

  public static List<String> of(SiteSpec spec) {
    List<String> problems = new ArrayList<>();
    if (spec == null) {
      return List.of("spec is missing; set at least spec.host and spec.origin.ingressName");
    }
    if (spec.getHost() == null || spec.getHost().isBlank()) {
      problems.add("spec.host is empty; set the public hostname the CDN serves");
    } else if (!spec.getHost().matches("(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
        || spec.getHost().length() > 253) {
      problems.add("spec.host \"" + spec.getHost() + "\" is not a lower-case DNS name");
    }
    origin(spec.getOrigin(), problems);
    gateway(spec.getGateway(), problems);
    probe(spec.getProbe(), problems);
    if (spec.getCdn() != null && spec.getCdn().getReadTimeoutSeconds() != null && spec.getCdn().getReadTimeoutSeconds() < 1) {
      problems.add("spec.cdn.readTimeoutSeconds must be at least 1 (Cloudflare waits 100)");
    }
    if (spec.getCdn() != null && spec.getCdn().getSourceRanges() != null) {
      for (String range : spec.getCdn().getSourceRanges()) {
        try {
          Cidr.parse(range);
        } catch (IllegalArgumentException e) {
          problems.add("spec.cdn.sourceRanges: " + e.getMessage() + "; use CIDRs such as 173.245.48.0/20");
        }
      }
    }
    return problems;
  }

  private static void origin(OriginSpec origin, List<String> problems) {
    boolean ingress = origin != null && !isBlank(origin.getIngressName());
    boolean route = origin != null && !isBlank(origin.getHttpRouteName());
    if (ingress == route) {
      problems.add(ingress
          ? "spec.origin.ingressName and spec.origin.httpRouteName are both set; keep the one that routes spec.host"
          : "spec.origin names no route; set spec.origin.ingressName (an Ingress) or spec.origin.httpRouteName (an HTTPRoute) in this namespace");
      if (origin == null) {
        return;
      }
    }
    if (origin.getPort() != null && (origin.getPort() < 0 || origin.getPort() > 65535)) {
      problems.add("spec.origin.port " + origin.getPort() + " is outside 0-65535 (0 derives it from the Ingress's TLS)");
    }
    String scheme = origin.getScheme() == null ? "" : origin.getScheme();
    if (!scheme.isEmpty() && !scheme.equals("http") && !scheme.equals("https")) {
      problems.add("spec.origin.scheme \"" + scheme + "\" must be http, https or empty");
    }
    String address = origin.getAddress() == null ? "" : origin.getAddress().strip();
    if (!address.isEmpty() && !address.matches("[0-9A-Za-z.:\\-\\[\\]]+")) {
      problems.add("spec.origin.address \"" + address + "\" is not an IP address or DNS name");
    }
    String proxyProtocol = origin.getProxyProtocol() == null ? "" : origin.getProxyProtocol();
    if (!proxyProtocol.isEmpty() && !List.of("none", "v1", "v2").contains(proxyProtocol)) {
      problems.add("spec.origin.proxyProtocol \"" + proxyProtocol + "\" must be none, v1, v2 or empty (detect)");
    }
  }

  private static void gateway(GatewaySpec gateway, List<String> problems) {
    if (gateway == null) {
      return;
    }
    if (isBlank(gateway.getServiceName()) || isBlank(gateway.getServiceNamespace())) {
      problems.add("spec.gateway needs both serviceNamespace and serviceName of the ingress controller's Service");
    }
  }

  private static void probe(ProbeSpec probe, List<String> problems) {
    if (probe == null) {
      return;
    }
    if (probe.getPath() != null && !probe.getPath().startsWith("/")) {
      problems.add("spec.probe.path \"" + probe.getPath() + "\" must start with /");
    }
    Integer interval = probe.getIntervalSeconds();
    Integer timeout = probe.getTimeoutSeconds();
    if (interval != null && interval < 1) {
      problems.add("spec.probe.intervalSeconds must be at least 1");
    }
    if (timeout != null && timeout < 1) {
      problems.add("spec.probe.timeoutSeconds must be at least 1");
    }
    if (interval != null && timeout != null && timeout >= interval) {
      problems.add("spec.probe.timeoutSeconds (" + timeout + ") must be less than intervalSeconds (" + interval + ")");
    }
    if (probe.getFailureThreshold() != null && probe.getFailureThreshold() < 1) {
      problems.add("spec.probe.failureThreshold must be at least 1");
    }
    if (probe.getSuccessThreshold() != null && probe.getSuccessThreshold() < 1) {
      problems.add("spec.probe.successThreshold must be at least 1");
    }
    if (probe.getCertificateWarningDays() != null && probe.getCertificateWarningDays() < 0) {
      problems.add("spec.probe.certificateWarningDays must be 0 (off) or more");
    }
    try {
      StatusRanges.parse(probe.getExpectedStatus() == null ? "200-399" : probe.getExpectedStatus());
    } catch (IllegalArgumentException e) {
      problems.add("spec." + e.getMessage());
    }
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}

package dev.upstreamhealth.reconciler;

import dev.upstreamhealth.probe.CertificateCheck;
import dev.upstreamhealth.probe.ProbeTarget;
import dev.upstreamhealth.probe.Scheme;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.Locale;
import java.util.Optional;

/**
 * How the gateway speaks to an upstream port, and so how a direct probe must: from the Ingress's
 * ingress-nginx {@code backend-protocol} annotation, else the Service port's appProtocol, else its
 * name (the "https-web", "grpc-api" convention).
 */
enum UpstreamProtocol {
  HTTP(""),
  /** ingress-nginx does not verify upstream certificates unless told to: neither does the probe. */
  HTTPS(""),
  GRPC("gRPC port: checked with a TCP connect only (the probe speaks HTTP/1.1, gRPC needs HTTP/2)"),
  FASTCGI("FastCGI port: checked with a TCP connect only"),
  TCP("TCP port: checked with a TCP connect only");

  private final String connectOnlyBecause;

  UpstreamProtocol(String connectOnlyBecause) {
    this.connectOnlyBecause = connectOnlyBecause;
  }

  /** Empty for a port no probe can check (UDP, SCTP). */
  static Optional<UpstreamProtocol> of(ServicePort port, String backendProtocolAnnotation) {
    if (port.getProtocol() != null && !"TCP".equalsIgnoreCase(port.getProtocol())) {
      return Optional.empty();
    }
    switch (backendProtocolAnnotation) {
      case "HTTPS" -> { return Optional.of(HTTPS); }
      case "GRPC", "GRPCS" -> { return Optional.of(GRPC); }
      case "FCGI" -> { return Optional.of(FASTCGI); }
      case "HTTP", "AUTO_HTTP" -> { return Optional.of(HTTP); }
      default -> { }
    }
    String declared = port.getAppProtocol() != null ? port.getAppProtocol() : port.getName();
    if (declared == null) {
      return Optional.of(HTTP);
    }
    String p = declared.toLowerCase(Locale.ROOT);
    if (p.startsWith("https") || p.startsWith("tls") || p.equals("kubernetes.io/wss")) {
      return Optional.of(HTTPS);
    }
    if (p.startsWith("grpc") || p.startsWith("h2") || p.contains("kubernetes.io/h2c")) {
      return Optional.of(GRPC);
    }
    if (p.startsWith("tcp")) {
      return Optional.of(TCP);
    }
    if (p.startsWith("udp")) {
      return Optional.empty();
    }
    return Optional.of(HTTP);
  }

  ProbeTarget target(ProbeTarget plainHttp) {
    return switch (this) {
      case HTTP -> plainHttp;
      case HTTPS -> new ProbeTarget(plainHttp.layer(), plainHttp.address(), plainHttp.port(), Scheme.HTTPS,
          plainHttp.host(), plainHttp.path(), plainHttp.timeout(), plainHttp.service(), plainHttp.proxyProtocol(),
          CertificateCheck.ANY, plainHttp.headers(), "");
      default -> plainHttp.connectOnly(connectOnlyBecause);
    };
  }
}

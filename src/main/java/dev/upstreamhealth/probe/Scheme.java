package dev.upstreamhealth.probe;

import java.util.Arrays;
import java.util.Optional;

public enum Scheme {
  HTTP("http", 80),
  HTTPS("https", 443);

  private final String label;
  private final int defaultPort;

  Scheme(String label, int defaultPort) {
    this.label = label;
    this.defaultPort = defaultPort;
  }

  public String label() {
    return label;
  }

  public int defaultPort() {
    return defaultPort;
  }

  /** The scheme whose well-known port {@code port} is (80: http, 443: https); empty for any other or none. */
  public static Optional<Scheme> ofDefaultPort(Integer port) {
    return Arrays.stream(values()).filter(s -> port != null && s.defaultPort == port).findFirst();
  }
}

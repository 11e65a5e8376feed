package dev.upstreamhealth.probe;

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
}

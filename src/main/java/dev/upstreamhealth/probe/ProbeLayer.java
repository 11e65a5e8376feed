package dev.upstreamhealth.probe;

/** Where a probe connects, from the CDN's side inwards. */
public enum ProbeLayer {
  /** The origin address, as the CDN connects to it. */
  ORIGIN("origin"),
  /** The ingress controller's Service. */
  GATEWAY("gateway"),
  /** One ready endpoint of an upstream Service, as the gateway connects to it. */
  UPSTREAM("upstream");

  private final String label;

  ProbeLayer(String label) {
    this.label = label;
  }

  /** Lower-case name used in status, metrics labels and logs. */
  public String label() {
    return label;
  }
}

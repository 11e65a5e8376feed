package dev.upstreamhealth.probe;

/**
 * The PROXY protocol header a load balancer puts in front of each connection it passes to the
 * gateway. A gateway that expects one closes connections without it, so a probe that lands where
 * the load balancer's connection would must send it too.
 */
public enum ProxyProtocol {
  NONE("none"),
  V1("v1"),
  V2("v2");

  private final String label;

  ProxyProtocol(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}

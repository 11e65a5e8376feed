package dev.upstreamhealth.probe;

/** Identifies a Site to the probing side without tying it to any Kubernetes library. */
public record SiteKey(String namespace, String name) {
  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}

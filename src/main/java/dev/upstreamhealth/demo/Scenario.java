package dev.upstreamhealth.demo;

import dev.upstreamhealth.api.SiteRef;

/** One sample Site, in a namespace of its own, and the status the operator should give it. */
public record Scenario(String namespace, String name, String story, Expectation expected) {
  public SiteRef site() {
    return new SiteRef(namespace, name);
  }

  /** How the demo names the Site: {@code namespace/name}. */
  public String key() {
    return site().toString();
  }
}

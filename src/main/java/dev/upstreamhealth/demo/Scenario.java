package dev.upstreamhealth.demo;

/** One sample Site, in a namespace of its own, and the status the operator should give it. */
public record Scenario(String namespace, String name, String story, Expectation expected) {
  public String key() {
    return namespace + "/" + name;
  }
}

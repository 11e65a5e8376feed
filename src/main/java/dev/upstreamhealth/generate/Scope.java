package dev.upstreamhealth.generate;

/**
 * Where to look: one namespace, or all of them (namespace null), and an optional label selector
 * for the routes.
 */
public record Scope(String namespace, String labelSelector) {
  public boolean allNamespaces() {
    return namespace == null;
  }
}

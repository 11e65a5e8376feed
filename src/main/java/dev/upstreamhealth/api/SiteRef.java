package dev.upstreamhealth.api;

/**
 * Which Site, by namespace and name: the one identity the probes, metrics, Events and reconciler
 * share, free of any client library. Shown as {@code namespace/name}.
 */
public record SiteRef(String namespace, String name) {
  public static SiteRef of(Site site) {
    return new SiteRef(site.getMetadata().getNamespace(), site.getMetadata().getName());
  }

  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}

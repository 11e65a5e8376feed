package dev.upstreamhealth.diagnosis;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * The {@code namespace/name} key of a Kubernetes object: the key the informer caches and their
 * indexes file objects under, so a key built here finds the cached object. (A Site has its own
 * type for this, {@link dev.upstreamhealth.api.SiteRef}.)
 */
public final class ObjectKey {
  private ObjectKey() {}

  public static String of(HasMetadata object) {
    return of(object.getMetadata().getNamespace(), object.getMetadata().getName());
  }

  public static String of(String namespace, String name) {
    return namespace + "/" + name;
  }
}

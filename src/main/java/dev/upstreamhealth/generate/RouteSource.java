package dev.upstreamhealth.generate;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/**
 * One kind of route that publishes hosts (Ingress, HTTPRoute, ...). A new kind plugs in here:
 * it reports the public hosts it serves and what it skipped; naming, de-duplication and the
 * gateway lookup are shared ({@link SiteDrafts}).
 */
public interface RouteSource {
  /** The routes' kind as a Site's origin names it, e.g. "Ingress". */
  String kind();

  /** Whether the API server serves this kind; a source that is absent is skipped quietly. */
  boolean available(KubernetesClient client);

  Found find(KubernetesClient client, Scope scope);

  record Found(List<PublicHost> hosts, List<Skipped> skipped) {}
}

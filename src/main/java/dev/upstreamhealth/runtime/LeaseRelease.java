package dev.upstreamhealth.runtime;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.ZonedDateTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the Lease back on shutdown. The elector keeps it until it expires; a replica that is
 * stopping empties the holder so the next one takes over on its next retry, not a lease later.
 */
final class LeaseRelease {
  private static final Logger log = LoggerFactory.getLogger(LeaseRelease.class);

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final String identity;

  LeaseRelease(KubernetesClient client, String namespace, String name, String identity) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.identity = identity;
  }

  void release() {
    try {
      Lease lease = client.leases().inNamespace(namespace).withName(name).get();
      if (lease == null || lease.getSpec() == null || !identity.equals(lease.getSpec().getHolderIdentity())) {
        return;
      }
      lease.getSpec().setHolderIdentity(null);
      lease.getSpec().setLeaseDurationSeconds(1);
      lease.getSpec().setRenewTime(ZonedDateTime.now());
      // Update with the read resourceVersion: if another replica took the Lease meanwhile, leave it be.
      client.leases().inNamespace(namespace).resource(lease).update();
      log.info("released Lease {}/{}", namespace, name);
    } catch (KubernetesClientException e) {
      log.warn("could not release Lease {}/{}: {}", namespace, name, e.getMessage());
    }
  }
}

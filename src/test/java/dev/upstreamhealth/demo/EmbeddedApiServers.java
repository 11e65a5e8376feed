package dev.upstreamhealth.demo;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;

/** The demo's API server over storage a test provides, e.g. one that injects faults and records requests. */
public final class EmbeddedApiServers {
  private EmbeddedApiServers() {}

  public static EmbeddedApiServer over(KubernetesCrudDispatcher storage) {
    return EmbeddedApiServer.start(storage);
  }
}

package dev.upstreamhealth.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.upstreamhealth.bench.api.BenchApiServer;
import dev.upstreamhealth.demo.SiteFixture;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * The three cluster changes the detection bench makes, each written to the bench API server as
 * the controllers would write them, the write that completes the fault last: the latency is
 * timed from that write.
 */
enum ClusterChange {
  /** Every pod of the backend Service goes into CrashLoopBackOff after an OOM kill. */
  PODS_CRASH_LOOPING,
  /** The backend's EndpointSlice marks every endpoint not ready. */
  SLICE_LOSES_READY_ENDPOINTS,
  /** The backend Deployment is scaled to zero replicas, and its endpoints stop being ready. */
  DEPLOYMENT_SCALED_TO_ZERO;

  /** Makes the fault; returns the nanoTime of the write the latency is timed from. */
  long breakSite(BenchApiServer server, BenchWorld world, int site) {
    return apply(server, world, site, true);
  }

  long repairSite(BenchApiServer server, BenchWorld world, int site) {
    return apply(server, world, site, false);
  }

  private long apply(BenchApiServer server, BenchWorld world, int site, boolean broken) {
    SiteFixture f = world.fixture(site);
    return switch (this) {
      case PODS_CRASH_LOOPING -> {
        long last = 0;
        for (int p = 0; p < BenchWorld.PODS_PER_SITE; p++) {
          Pod pod = broken ? world.crashLooping(f, site, p) : world.pod(f, site, p, true);
          ObjectNode status = (ObjectNode) Serialization.jsonMapper().valueToTree(pod.getStatus());
          last = server.edit(pod, node -> {
            node.set("status", status);
            return node;
          });
        }
        yield last;
      }
      case SLICE_LOSES_READY_ENDPOINTS -> patchSlice(server, world, site, broken);
      case DEPLOYMENT_SCALED_TO_ZERO -> {
        // Timed from the scale; then what the controllers do next (the endpoints stop being
        // ready). The diagnosis names ScaledToZero once nothing is ready.
        long t = server.edit(f.deployment(0), node -> {
          node.with("spec").put("replicas", broken ? 0 : BenchWorld.PODS_PER_SITE);
          return node;
        });
        patchSlice(server, world, site, broken);
        yield t;
      }
    };
  }

  private static long patchSlice(BenchApiServer server, BenchWorld world, int site, boolean noneReady) {
    ArrayNode endpoints = JsonNodeFactory.instance.arrayNode();
    for (int p = 0; p < BenchWorld.PODS_PER_SITE; p++) {
      ObjectNode e = endpoints.addObject();
      e.putArray("addresses").add(BenchWorld.podIp(site, p));
      e.putObject("conditions").put("ready", !noneReady);
    }
    SiteFixture f = world.fixture(site);
    return server.edit(f.endpointSlice(world.podPort(), java.util.Map.of()), node -> {
      node.set("endpoints", endpoints);
      return node;
    });
  }

  String label() {
    return switch (this) {
      case PODS_CRASH_LOOPING -> "pods crash-looping";
      case SLICE_LOSES_READY_ENDPOINTS -> "EndpointSlice loses ready endpoints";
      case DEPLOYMENT_SCALED_TO_ZERO -> "Deployment scaled to 0";
    };
  }
}

package dev.upstreamhealth.bench;

import dev.upstreamhealth.demo.SiteFixture;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * The three cluster changes the detection bench makes, each as JSON Patches (one request
 * per write), with the write that completes the fault returned last so only it is timed.
 */
enum ClusterChange {
  /** Every pod of the backend Service goes into CrashLoopBackOff after an OOM kill. */
  PODS_CRASH_LOOPING,
  /** The backend's EndpointSlice marks every endpoint not ready. */
  SLICE_LOSES_READY_ENDPOINTS,
  /** The backend Deployment is scaled to zero replicas, and its endpoints stop being ready. */
  DEPLOYMENT_SCALED_TO_ZERO;

  // JSON Patch "replace": a merge patch would merge the old container state into the new one.
  private static final PatchContext REPLACE = PatchContext.of(PatchType.JSON);

  /** Makes the fault, calling {@code beforeTimedWrite} just before the write the latency is timed from. */
  void breakSite(KubernetesClient client, BenchWorld world, int site, Runnable beforeTimedWrite) {
    apply(client, world, site, true, beforeTimedWrite);
  }

  void repairSite(KubernetesClient client, BenchWorld world, int site, Runnable beforeTimedWrite) {
    apply(client, world, site, false, beforeTimedWrite);
  }

  private void apply(KubernetesClient client, BenchWorld world, int site, boolean broken, Runnable beforeTimedWrite) {
    SiteFixture f = world.fixture(site);
    String ns = f.namespace();
    switch (this) {
      case PODS_CRASH_LOOPING -> {
        for (int p = 0; p < BenchWorld.PODS_PER_SITE; p++) {
          Pod pod = broken ? world.crashLooping(f, site, p) : world.pod(f, site, p, true);
          String patch = replace("/status", Serialization.asJson(pod.getStatus()));
          if (p == BenchWorld.PODS_PER_SITE - 1) {
            beforeTimedWrite.run();
          }
          client.pods().inNamespace(ns).withName(pod.getMetadata().getName()).patch(REPLACE, patch);
        }
      }
      case SLICE_LOSES_READY_ENDPOINTS -> {
        beforeTimedWrite.run();
        patchSlice(client, world, site, broken);
      }
      case DEPLOYMENT_SCALED_TO_ZERO -> {
        // Timed from the scale; the test then does what the controllers would do next (the
        // endpoints stop being ready). The diagnosis names ScaledToZero once nothing is ready.
        beforeTimedWrite.run();
        client.apps().deployments().inNamespace(ns).withName(f.serviceName())
            .patch(REPLACE, replace("/spec/replicas", Integer.toString(broken ? 0 : BenchWorld.PODS_PER_SITE)));
        patchSlice(client, world, site, broken);
      }
      default -> throw new IllegalStateException(name());
    }
  }

  private static void patchSlice(KubernetesClient client, BenchWorld world, int site, boolean noneReady) {
    StringBuilder endpoints = new StringBuilder();
    for (int p = 0; p < BenchWorld.PODS_PER_SITE; p++) {
      endpoints.append(p == 0 ? "" : ",").append("{\"addresses\":[\"").append(BenchWorld.podIp(site, p))
          .append("\"],\"conditions\":{\"ready\":").append(!noneReady).append("}}");
    }
    SiteFixture f = world.fixture(site);
    client.discovery().v1().endpointSlices().inNamespace(f.namespace()).withName(f.serviceName() + "-abc12")
        .patch(REPLACE, replace("/endpoints", "[" + endpoints + "]"));
  }

  private static String replace(String path, String json) {
    return "[{\"op\":\"replace\",\"path\":\"" + path + "\",\"value\":" + json + "}]";
  }

  String label() {
    return switch (this) {
      case PODS_CRASH_LOOPING -> "pods crash-looping";
      case SLICE_LOSES_READY_ENDPOINTS -> "EndpointSlice loses ready endpoints";
      case DEPLOYMENT_SCALED_TO_ZERO -> "Deployment scaled to 0";
    };
  }
}

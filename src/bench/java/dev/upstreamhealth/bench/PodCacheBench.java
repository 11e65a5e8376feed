package dev.upstreamhealth.bench;

import dev.upstreamhealth.reconciler.TrimmedItemStore;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.concurrent.TimeUnit;

/**
 * Bytes per cached Pod in a Fabric8 informer like the operator's, with Fabric8's own store and
 * with {@link TrimmedItemStore}: retained heap with the synced informer minus without it.
 */
final class PodCacheBench {
  record Figures(int pods, long untrimmedBytes, long trimmedBytes) {
    double untrimmedPerPod() {
      return (double) untrimmedBytes / pods;
    }

    double trimmedPerPod() {
      return (double) trimmedBytes / pods;
    }
  }

  static Figures run(KubernetesClient client) throws Exception {
    long untrimmed = cached(client, false);
    long trimmed = cached(client, true);
    int pods = client.pods().inAnyNamespace().list().getItems().size();
    Figures f = new Figures(pods, untrimmed, trimmed);
    ClusterBench.log("pod informer: %d pods, %.0f bytes per pod untrimmed, %.0f trimmed",
        pods, f.untrimmedPerPod(), f.trimmedPerPod());
    return f;
  }

  private static long cached(KubernetesClient client, boolean trim) throws Exception {
    long without = Heap.retainedBytes();
    SharedIndexInformer<Pod> informer = client.pods().inAnyNamespace().runnableInformer(0);
    if (trim) {
      informer.itemStore(new TrimmedItemStore<>());
    }
    informer.start().toCompletableFuture().get(5, TimeUnit.MINUTES);
    long with = Heap.retainedBytes();
    if (informer.getStore().list().isEmpty()) {
      throw new IllegalStateException("the pod informer cached nothing");
    }
    informer.close();
    return with - without;
  }

  private PodCacheBench() {
  }
}

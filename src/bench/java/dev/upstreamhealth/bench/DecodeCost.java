package dev.upstreamhealth.bench;

import com.sun.management.ThreadMXBean;
import dev.upstreamhealth.reconciler.OperatorDecoding;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What decoding one Site's objects as the bench serves them (Ingress, Service, six pods,
 * EndpointSlice, Deployment) costs: with Fabric8's default decoding and with the operator's
 * ({@link OperatorDecoding}), in bytes allocated and CPU time of this thread, after a warm-up.
 */
final class DecodeCost {
  record Figures(int objects, long jsonBytes, int rounds, Side fabric8, Side operator) {
  }

  record Side(double bytesPerSite, double microsPerSite) {
  }

  private DecodeCost() {
  }

  static Figures run(int rounds) {
    BenchWorld world = new BenchWorld(1, List.of("127.0.0.10"), List.of(80), 8080, List.of(), List.of());
    List<HasMetadata> objects = world.objectsOf(0).stream().filter(o -> !(o instanceof dev.upstreamhealth.api.Site)).toList();
    List<byte[]> json = objects.stream().map(o -> Serialization.asJson(o).getBytes(StandardCharsets.UTF_8)).toList();
    KubernetesSerialization fabric8 = new KubernetesSerialization();
    KubernetesSerialization operator;
    // Built only for its serialization: the client never connects.
    try (KubernetesClient client = OperatorDecoding.apply(new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder().withMasterUrl("http://127.0.0.1:9").build())).build()) {
      operator = client.getKubernetesSerialization();
    }
    measure(fabric8, objects, json, rounds);
    measure(operator, objects, json, rounds);
    Side a = measure(fabric8, objects, json, rounds);
    Side b = measure(operator, objects, json, rounds);
    return new Figures(objects.size(), json.stream().mapToLong(j -> j.length).sum(), rounds, a, b);
  }

  private static Side measure(KubernetesSerialization serialization, List<HasMetadata> objects, List<byte[]> json,
      int rounds) {
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    long bytes0 = threads.getCurrentThreadAllocatedBytes();
    long cpu0 = threads.getCurrentThreadCpuTime();
    int decoded = 0;
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < json.size(); i++) {
        HasMetadata o = serialization.unmarshal(new java.io.ByteArrayInputStream(json.get(i)), objects.get(i).getClass());
        decoded += o.getMetadata().getName().length();
      }
    }
    long bytes = threads.getCurrentThreadAllocatedBytes() - bytes0;
    long cpu = threads.getCurrentThreadCpuTime() - cpu0;
    if (decoded == 0) {
      throw new IllegalStateException("nothing decoded");
    }
    return new Side((double) bytes / rounds, cpu / 1e3 / rounds);
  }
}

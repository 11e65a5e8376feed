package dev.upstreamhealth.bench;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.bench.api.BenchApiServer;
import dev.upstreamhealth.demo.SiteFixture;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * N Sites as a cluster would serve them, loaded straight into the bench API server. Each Site
 * has an Ingress, a Service, six pods, an EndpointSlice and a Deployment, with managed fields,
 * kubectl's last-applied annotation and full pod specs, because those are what an informer cache
 * pays for and what trimming removes. Per Site there are also two pods, and per two Sites a
 * Service and a ReplicaSet, that no Site uses (at 10,000 Sites: 20,000 pods, 5,000 Services,
 * 5,000 ReplicaSets): the operator caches every object of those kinds. Sites keep the default
 * probe settings (every 30 s, upstreams too); every pod has a loopback address of its own and
 * is answered by one server on the pod port.
 */
final class BenchWorld {
  static final int PODS_PER_SITE = 6;
  static final int UNUSED_PODS_PER_SITE = 2;
  static final int SITES_PER_NAMESPACE = 100;
  /** Sites whose origin can be made to refuse: they probe every 5 s, failureThreshold 3. */
  static final int PROBE_FAULT_INTERVAL_SECONDS = 5;
  static final int PROBE_FAULT_THRESHOLD = 3;

  private final int sites;
  private final List<String> originIps;
  private final List<Integer> originPorts;
  private final int podPort;
  private final List<String> faultOriginIps;
  private final List<Integer> faultOriginPorts;

  /**
   * Sites spread their origin over {@code originIps} (shared loopback origins), round robin,
   * except the first {@code faultOriginIps.size()}, which have an origin each.
   */
  BenchWorld(int sites, List<String> originIps, List<Integer> originPorts, int podPort, List<String> faultOriginIps,
      List<Integer> faultOriginPorts) {
    this.sites = sites;
    this.originIps = originIps;
    this.originPorts = originPorts;
    this.podPort = podPort;
    this.faultOriginIps = faultOriginIps;
    this.faultOriginPorts = faultOriginPorts;
  }

  int sites() {
    return sites;
  }

  int probeFaultSites() {
    return faultOriginIps.size();
  }

  int podPort() {
    return podPort;
  }

  SiteFixture fixture(int i) {
    return new SiteFixture("bench-" + (i / SITES_PER_NAMESPACE), "site-" + i, "site-" + i + ".example.com");
  }

  static String key(SiteFixture f) {
    return f.namespace() + "/" + f.name();
  }

  /** A loopback address of its own for each pod (127.1.0.0 upwards; 127.0.0.0/16 is the bench's). */
  static String podIp(int site, int pod) {
    int n = site * 8 + pod;
    return "127." + (1 + n / 65536) + "." + (n / 256 % 256) + "." + (n % 256);
  }

  /** Stores every object, on every core (the operator is not running yet); returns how many. */
  long load(BenchApiServer server) {
    java.util.concurrent.atomic.AtomicLong n = new java.util.concurrent.atomic.AtomicLong();
    java.util.stream.IntStream.range(0, sites).parallel().forEach(i -> {
      for (HasMetadata o : objectsOf(i)) {
        server.create(o);
        n.incrementAndGet();
      }
      for (HasMetadata o : unusedObjectsOf(i)) {
        server.create(o);
        n.incrementAndGet();
      }
    });
    return n.get();
  }

  List<HasMetadata> objectsOf(int i) {
    SiteFixture f = fixture(i);
    boolean ownOrigin = i < faultOriginIps.size();
    String originIp = ownOrigin ? faultOriginIps.get(i) : originIps.get(i % originIps.size());
    int originPort = ownOrigin ? faultOriginPorts.get(i) : originPorts.get(i % originPorts.size());
    List<HasMetadata> out = new ArrayList<>();
    out.add(realistic(f.ingress(originIp), "networking.k8s.io/v1"));
    out.add(realistic(f.service(podPort), "v1"));
    Map<String, Boolean> ready = new java.util.LinkedHashMap<>();
    for (int p = 0; p < PODS_PER_SITE; p++) {
      out.add(pod(f, i, p, true));
      ready.put(podIp(i, p), true);
    }
    out.add(realistic(f.endpointSlice(podPort, ready), "discovery.k8s.io/v1"));
    out.add(realistic(f.deployment(PODS_PER_SITE), "apps/v1"));
    Site site = f.site(originPort, 30, 3);
    site.getSpec().getOrigin().setScheme(BenchOrigins.scheme());
    // The defaults a user gets (probe every 30 s, 5 s timeout, upstreams probed too), except for
    // the Sites whose origin the bench makes refuse: they probe every 5 s so that is timed quickly.
    site.getSpec().getProbe().setIntervalSeconds(ownOrigin ? PROBE_FAULT_INTERVAL_SECONDS : 30);
    site.getSpec().getProbe().setTimeoutSeconds(ownOrigin ? 2 : 5);
    site.getSpec().getProbe().setFailureThreshold(ownOrigin ? PROBE_FAULT_THRESHOLD : 3);
    site.getMetadata().setLabels(Map.of("shard2", "s" + (i % 2), "shard4", "s" + (i % 4)));
    out.add(site);
    return out;
  }

  /** Pods, a Service and a ReplicaSet in the same namespace that no Site's Service selects. */
  List<HasMetadata> unusedObjectsOf(int i) {
    SiteFixture f = fixture(i);
    SiteFixture batch = new SiteFixture(f.namespace(), "batch-" + i, "batch-" + i + ".example.com");
    List<HasMetadata> out = new ArrayList<>();
    for (int p = 0; p < UNUSED_PODS_PER_SITE; p++) {
      out.add(pod(batch, i, PODS_PER_SITE + p, true));
    }
    if (i % 2 == 0) {
      out.add(realistic(batch.service(podPort), "v1"));
      var d = batch.deployment(UNUSED_PODS_PER_SITE);
      out.add(realistic(new io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder()
          .withNewMetadata().withNamespace(f.namespace()).withName(batch.serviceName() + "-7d9f8b6c5d")
            .withLabels(d.getSpec().getTemplate().getMetadata().getLabels()).endMetadata()
          .withNewSpec().withReplicas(UNUSED_PODS_PER_SITE).withSelector(d.getSpec().getSelector())
            .withTemplate(d.getSpec().getTemplate()).endSpec()
          .withNewStatus().withReplicas(UNUSED_PODS_PER_SITE).withReadyReplicas(UNUSED_PODS_PER_SITE)
            .withAvailableReplicas(UNUSED_PODS_PER_SITE).endStatus()
          .build(), "apps/v1"));
    }
    return out;
  }

  /** A pod as the kubelet reports it: full spec, status with images and IDs, managed fields. */
  Pod pod(SiteFixture f, int site, int index, boolean ready) {
    Pod pod = f.pod(index, podIp(site, index), podPort, ready);
    return realistic(decorate(pod), "v1");
  }

  Pod crashLooping(SiteFixture f, int site, int index) {
    return realistic(decorate(f.crashLoopingPod(index, podIp(site, index), podPort)), "v1");
  }

  private static Pod decorate(Pod pod) {
    String name = pod.getMetadata().getName();
    return new PodBuilder(pod)
        .editMetadata()
          .withGenerateName(name.substring(0, name.lastIndexOf('-') + 1))
          .withUid(java.util.UUID.nameUUIDFromBytes(name.getBytes()).toString())
          .addToLabels("pod-template-hash", "7d9f8b6c5d")
          .addToAnnotations("kubectl.kubernetes.io/restartedAt", "2024-05-01T10:00:00Z")
          .addToAnnotations("checksum/config", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
          .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName(name + "-rs")
            .withUid("3b7a1e5c-0000-4000-8000-000000000001").withController(true).withBlockOwnerDeletion(true)
          .endOwnerReference()
        .endMetadata()
        .editSpec()
          .editFirstContainer()
            .withImagePullPolicy("IfNotPresent")
            .withTerminationMessagePath("/dev/termination-log").withTerminationMessagePolicy("File")
            .addNewEnv().withName("JAVA_OPTS").withValue("-XX:MaxRAMPercentage=75 -XX:+UseG1GC").endEnv()
            .addNewEnv().withName("DATABASE_URL").withValue("postgres://shop:5432/shop?sslmode=require").endEnv()
            .addNewEnv().withName("POD_NAME").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name")
              .endFieldRef().endValueFrom().endEnv()
            .withNewResources().addToRequests("cpu", new Quantity("250m")).addToRequests("memory", new Quantity("512Mi"))
              .addToLimits("memory", new Quantity("1Gi")).endResources()
            .addNewVolumeMount().withName("kube-api-access-x7k2p").withMountPath("/var/run/secrets/kubernetes.io/serviceaccount")
              .withReadOnly(true).endVolumeMount()
            .withNewReadinessProbe().withNewHttpGet().withPath("/healthz").withNewPort(8080).endHttpGet()
              .withPeriodSeconds(10).withTimeoutSeconds(1).withFailureThreshold(3).withSuccessThreshold(1).endReadinessProbe()
          .endContainer()
          .withServiceAccountName("default").withNodeName("node-" + Math.abs(name.hashCode() % 20))
          .withRestartPolicy("Always").withDnsPolicy("ClusterFirst").withSchedulerName("default-scheduler")
          .withTerminationGracePeriodSeconds(30L).withEnableServiceLinks(true).withPreemptionPolicy("PreemptLowerPriority")
          .addNewToleration().withKey("node.kubernetes.io/not-ready").withOperator("Exists").withEffect("NoExecute")
            .withTolerationSeconds(300L).endToleration()
          .addNewToleration().withKey("node.kubernetes.io/unreachable").withOperator("Exists").withEffect("NoExecute")
            .withTolerationSeconds(300L).endToleration()
          .addNewVolume().withName("kube-api-access-x7k2p").withNewProjected().withDefaultMode(420)
            .addNewSource().withNewServiceAccountToken().withExpirationSeconds(3607L).withPath("token")
              .endServiceAccountToken().endSource()
            .addNewSource().withNewConfigMap().withName("kube-root-ca.crt").addNewItem().withKey("ca.crt")
              .withPath("ca.crt").endItem().endConfigMap().endSource()
          .endProjected().endVolume()
        .endSpec()
        .editStatus()
          .withHostIP("192.168.10.21").addNewHostIP("192.168.10.21").addNewPodIP(pod.getStatus().getPodIP())
          .withQosClass("Burstable").withStartTime("2024-05-01T10:00:00Z")
          .editFirstContainerStatus()
            .withImage("registry.example/shop:1")
            .withImageID("registry.example/shop@sha256:3b5c1a2e9f8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b")
            .withContainerID("containerd://8c0f4b1e2d3a4f5e6d7c8b9a0f1e2d3c4b5a6f7e8d9c0b1a2f3e4d5c6b7a8f9e0")
            .withStarted(true)
          .endContainerStatus()
        .endStatus()
        .build();
  }

  /** Adds what the API server and kubectl add: managed fields and, if applied, last-applied-configuration. */
  static <T extends HasMetadata> T realistic(T object, String apiVersion) {
    String applied = Serialization.asJson(object);
    var meta = object.getMetadata();
    if (!(object instanceof Pod)) {
      if (meta.getAnnotations() == null) {
        meta.setAnnotations(new java.util.LinkedHashMap<>());
      }
      meta.getAnnotations().put("kubectl.kubernetes.io/last-applied-configuration", applied);
    }
    meta.setManagedFields(List.of(
        new ManagedFieldsEntryBuilder().withManager("kubectl-client-side-apply").withOperation("Update")
            .withApiVersion(apiVersion).withTime("2024-05-01T10:00:00Z").withFieldsType("FieldsV1")
            .withFieldsV1(fields(Map.of("f:metadata", Map.of("f:labels", Map.of("f:app", Map.of())),
                "f:spec", fieldsOf(applied)))).build(),
        new ManagedFieldsEntryBuilder().withManager(object instanceof Pod ? "kubelet" : "kube-controller-manager")
            .withOperation("Update").withApiVersion(apiVersion).withTime("2024-05-01T10:00:05Z").withFieldsType("FieldsV1")
            .withSubresource("status")
            .withFieldsV1(fields(Map.of("f:status", Map.of("f:conditions", Map.of(".", Map.of(),
                "k:{\"type\":\"Ready\"}", Map.of(".", Map.of(), "f:status", Map.of(), "f:type", Map.of())),
                "f:phase", Map.of(), "f:observedGeneration", Map.of())))).build()));
    return object;
  }

  private static FieldsV1 fields(Map<String, ?> tree) {
    FieldsV1 f = new FieldsV1();
    tree.forEach(f::setAdditionalProperty);
    return f;
  }

  /** A FieldsV1-like tree shaped after the object's own JSON keys, as the API server records it. */
  private static Map<String, Object> fieldsOf(String json) {
    Map<String, Object> tree = new java.util.TreeMap<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"([A-Za-z]+)\":").matcher(json);
    while (m.find()) {
      tree.put("f:" + m.group(1), Map.of());
    }
    return tree;
  }
}

package dev.upstreamhealth.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.api.SiteStatus;
import dev.upstreamhealth.demo.SiteFixture;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the informer caches keep: everything the diagnosis reads, nothing it never reads. */
class TrimmedItemStoreTest {
  private final SiteFixture fixture = new SiteFixture("web", "shop", "shop.example.com");
  private final TrimmedItemStore<Pod> pods = new TrimmedItemStore<>();

  @Test
  void crashLoopingPodKeepsLabelsPortsAndContainerStateButNotItsBulk() {
    Pod pod = new PodBuilder(fixture.crashLoopingPod(1, "10.0.0.7", 8080))
        .editMetadata().addToAnnotations("checksum/config", "abc")
          .withManagedFields(new ManagedFieldsEntryBuilder().withManager("kubelet").build()).endMetadata()
        .editSpec().editFirstContainer().addNewEnv().withName("A").withValue("b").endEnv().endContainer()
          .withNodeName("node-1").endSpec()
        .editStatus().withQosClass("Burstable").editFirstContainerStatus().withImage("registry.example/shop:1")
          .endContainerStatus().endStatus()
        .build();

    pods.put(pods.getKey(pod), pod);
    Pod cached = pods.get("web/shop-web-1");

    assertThat(cached.getMetadata().getLabels()).containsEntry("app", "shop-web");
    assertThat(cached.getMetadata().getManagedFields()).isNullOrEmpty();
    // Empty, never null: JOSDK's event handling reads the annotations, and an event it cannot read is lost.
    assertThat(cached.getMetadata().getAnnotations()).isNotNull().isEmpty();
    assertThat(cached.getSpec().getContainers()).singleElement().satisfies(c -> {
      assertThat(c.getName()).isEqualTo("app");
      assertThat(c.getPorts()).singleElement().satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(8080));
      assertThat(c.getEnv()).isNullOrEmpty();
    });
    assertThat(cached.getSpec().getNodeName()).isNull();
    assertThat(cached.getStatus().getPodIP()).isEqualTo("10.0.0.7");
    assertThat(cached.getStatus().getQosClass()).isNull();
    assertThat(cached.getStatus().getContainerStatuses()).singleElement().satisfies(cs -> {
      assertThat(cs.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
      assertThat(cs.getLastState().getTerminated().getReason()).isEqualTo("OOMKilled");
      assertThat(cs.getImage()).isNull();
    });
  }

  @Test
  void podsOfOneReplicaSetShareOneLabelMapAndKeepListsOfTheirExactSize() {
    Pod first = fixture.pod(1, "10.0.0.7", 8080, true);
    Pod second = fixture.pod(2, "10.0.0.8", 8080, true);
    pods.put(pods.getKey(first), first);
    pods.put(pods.getKey(second), second);
    Pod one = pods.get("web/shop-web-1");
    Pod two = pods.get("web/shop-web-2");

    assertThat(one.getMetadata().getLabels()).isEqualTo(fixture.pod(1, "10.0.0.7", 8080, true).getMetadata().getLabels())
        .isSameAs(two.getMetadata().getLabels());
    // Read, never changed: the copies are immutable, so a change would fail loudly rather than leak into another pod.
    assertThatThrownBy(() -> one.getMetadata().getLabels().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    assertThat(one.getSpec().getContainers()).hasSize(1).isNotInstanceOf(ArrayList.class);
    assertThat(one.getStatus().getPodIP()).isEqualTo("10.0.0.7");
    assertThat(two.getStatus().getPodIP()).isEqualTo("10.0.0.8");
  }

  @Test
  void nativeSidecarsAndImagesStayForReadinessPortsAndImagePullMessages() {
    Pod pod = new PodBuilder(fixture.pod(1, "10.0.0.7", 9000, true))
        .editSpec()
          .addNewInitContainer().withName("migrate").withImage("registry.example/migrate:3").endInitContainer()
          .addNewInitContainer().withName("auth-proxy").withImage("quay.io/oauth2-proxy/oauth2-proxy:v7.6.0")
            .withRestartPolicy("Always").addNewPort().withName("http").withContainerPort(4180).endPort()
            .addNewEnv().withName("COOKIE_SECRET").withValue("x").endEnv().endInitContainer()
        .endSpec().build();

    pods.put(pods.getKey(pod), pod);
    Pod cached = pods.get("web/shop-web-1");

    assertThat(cached.getSpec().getContainers()).singleElement()
        .satisfies(c -> assertThat(c.getImage()).isEqualTo("registry.example/shop:1"));
    assertThat(cached.getSpec().getInitContainers()).extracting(c -> c.getName())
        .containsExactly("migrate", "auth-proxy");
    assertThat(cached.getSpec().getInitContainers().get(1)).satisfies(c -> {
      assertThat(c.getRestartPolicy()).isEqualTo("Always");
      assertThat(c.getPorts()).singleElement().satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(4180));
      assertThat(c.getImage()).isEqualTo("quay.io/oauth2-proxy/oauth2-proxy:v7.6.0");
      assertThat(c.getEnv()).isNullOrEmpty();
    });
  }

  @Test
  void podsKeepWhenTheirLastRunStartedAndEndedButNotWhenTheCurrentOneStarted() {
    Pod pod = new PodBuilder(fixture.pod(1, "10.0.0.7", 8080, false)).editStatus().editFirstContainerStatus()
        .withRestartCount(3).editState().editRunning().withStartedAt("2025-03-04T11:59:35Z").endRunning().endState()
        .withNewLastState().withNewTerminated().withReason("OOMKilled").withExitCode(137)
        .withStartedAt("2025-02-11T08:00:00Z").withFinishedAt("2025-03-04T11:59:30Z").withContainerID("containerd://1a2b")
        .endTerminated().endLastState().endContainerStatus().endStatus().build();

    pods.put(pods.getKey(pod), pod);
    var cs = pods.get("web/shop-web-1").getStatus().getContainerStatuses().get(0);

    assertThat(cs.getLastState().getTerminated().getStartedAt()).isEqualTo("2025-02-11T08:00:00Z");
    assertThat(cs.getLastState().getTerminated().getFinishedAt()).isEqualTo("2025-03-04T11:59:30Z");
    assertThat(cs.getLastState().getTerminated().getContainerID()).isNull();
    assertThat(cs.getState().getRunning().getStartedAt()).isNull();
  }

  /**
   * A pod not ready may still be starting, its grace counted from when its node took it; a ready
   * one needs no grace, and the update that makes it not ready arrives whole and is trimmed again.
   */
  @Test
  void podsNotReadyKeepWhenTheirNodeTookThemReadyOnesDoNot() {
    Pod waitedForANode = new PodBuilder(fixture.pod(1, "10.0.0.7", 8080, false)).editMetadata()
        .withCreationTimestamp("2025-03-04T11:56:00Z").endMetadata()
        .editStatus().withStartTime("2025-03-04T11:59:30Z").endStatus().build();
    Pod ready = new PodBuilder(fixture.pod(2, "10.0.0.8", 8080, true))
        .editStatus().withStartTime("2025-03-04T11:00:01Z").endStatus().build();
    pods.put(pods.getKey(waitedForANode), waitedForANode);
    pods.put(pods.getKey(ready), ready);

    assertThat(pods.get("web/shop-web-1").getStatus().getStartTime()).isEqualTo("2025-03-04T11:59:30Z");
    assertThat(pods.get("web/shop-web-2").getStatus().getStartTime()).isNull();

    Pod notReadyAnyMore = new PodBuilder(fixture.pod(2, "10.0.0.8", 8080, false))
        .editStatus().withStartTime("2025-03-04T11:00:01Z").endStatus().build();
    pods.put(pods.getKey(notReadyAnyMore), notReadyAnyMore);

    assertThat(pods.get("web/shop-web-2").getStatus().getStartTime()).isEqualTo("2025-03-04T11:00:01Z");

    Pod finished = new PodBuilder(fixture.pod(3, "10.0.0.9", 8080, false))
        .editStatus().withPhase("Succeeded").withStartTime("2025-03-04T11:00:01Z").endStatus().build();
    pods.put(pods.getKey(finished), finished);
    assertThat(pods.get("web/shop-web-3").getStatus().getStartTime()).as("a finished pod starts no more").isNull();
  }

  @Test
  void podsKeepTheirRestartPolicyToTellAOneShotPodFromTheApp() {
    Pod pod = new PodBuilder(fixture.pod(1, "10.0.0.7", 8080, false)).editSpec().withRestartPolicy("Never").endSpec()
        .build();

    pods.put(pods.getKey(pod), pod);

    assertThat(pods.get("web/shop-web-1").getSpec().getRestartPolicy()).isEqualTo("Never");
  }

  /** NetworkPolicy does not govern a pod on the node's network: the diagnosis must know it. */
  @Test
  void podsKeepWhetherTheyRunOnTheNodesNetwork() {
    Pod pod = new PodBuilder(fixture.pod(1, "10.0.0.7", 8080, false)).editSpec().withHostNetwork(true).endSpec().build();

    pods.put(pods.getKey(pod), pod);

    assertThat(pods.get("web/shop-web-1").getSpec().getHostNetwork()).isTrue();
  }

  /** Of a pod's annotations, only Istio ambient mode's redirection stays: it puts the pod in the mesh. */
  @Test
  void podsKeepOnlyTheAnnotationThatPutsThemInAnAmbientMesh() {
    Pod pod = new PodBuilder(fixture.pod(1, "10.0.0.7", 8080, true)).editMetadata()
        .withAnnotations(Map.of("ambient.istio.io/redirection", "enabled", "checksum/config", "9f86d081884c7d65"))
        .endMetadata().build();

    pods.put(pods.getKey(pod), pod);

    assertThat(pods.get("web/shop-web-1").getMetadata().getAnnotations())
        .containsExactly(Map.entry("ambient.istio.io/redirection", "enabled"));
  }

  @Test
  void failedCreateEventsKeepWhatTheDiagnosisQuotes() {
    TrimmedItemStore<io.fabric8.kubernetes.api.model.Event> events = new TrimmedItemStore<>();
    var event = new io.fabric8.kubernetes.api.model.EventBuilder()
        .withNewMetadata().withNamespace("web").withName("shop-web.17f3").endMetadata()
        .withNewInvolvedObject().withKind("StatefulSet").withNamespace("web").withName("shop-web").endInvolvedObject()
        .withType("Warning").withReason("FailedCreate").withMessage("create Pod shop-web-0 ... exceeded quota: compute")
        .withNewSource().withComponent("statefulset-controller").endSource()
        .withReportingInstance("kube-controller-manager-cp-1")
        // Written through events.k8s.io and repeated: the first occurrence long ago, the latest now.
        .withNewEventTime("2026-11-29T10:00:00.000000Z")
        .withNewSeries().withCount(42).withNewLastObservedTime("2026-11-29T12:00:00.000000Z").endSeries()
        .build();

    events.put(events.getKey(event), event);
    var cached = events.get("web/shop-web.17f3");

    assertThat(cached.getSeries().getLastObservedTime().getTime()).as("what ages the Event")
        .isEqualTo("2026-11-29T12:00:00.000000Z");
    assertThat(cached.getSeries().getCount()).isNull();

    assertThat(cached.getInvolvedObject().getName()).isEqualTo("shop-web");
    assertThat(cached.getReason()).isEqualTo("FailedCreate");
    assertThat(cached.getType()).isEqualTo("Warning");
    assertThat(cached.getMessage()).contains("exceeded quota");
    assertThat(cached.getSource()).isNull();
    assertThat(cached.getReportingInstance()).isNull();
  }

  @Test
  void anObjectWhoseOnlyAnnotationIsTrimmedKeepsAnEmptyMapNotNull() {
    Service service = fixture.service(8080);
    service.getMetadata().setAnnotations(new HashMap<>(Map.of(CachedObjectTrim.LAST_APPLIED, "{}")));
    TrimmedItemStore<Service> services = new TrimmedItemStore<>();
    services.put(services.getKey(service), service);
    assertThat(services.get("web/shop-web").getMetadata().getAnnotations()).isNotNull().isEmpty();
  }

  @Test
  void servicesLoseOnlyManagedFieldsAndLastAppliedConfiguration() {
    Service service = fixture.service(8080);
    service.getMetadata().setAnnotations(new HashMap<>(Map.of(
        CachedObjectTrim.LAST_APPLIED, "{\"big\":\"json\"}", "team", "shop")));
    service.getMetadata().setManagedFields(List.of(new ManagedFieldsEntryBuilder().withManager("kubectl").build()));

    TrimmedItemStore<Service> services = new TrimmedItemStore<>();
    services.put(services.getKey(service), service);
    Service cached = services.get("web/shop-web");

    assertThat(cached.getMetadata().getAnnotations()).containsOnlyKeys("team");
    assertThat(cached.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(cached.getSpec().getSelector()).containsEntry("app", "shop-web");
    assertThat(cached.getSpec().getPorts()).hasSize(1);
  }

  @Test
  void deploymentsKeepReplicasStatusAndTemplateLabels() {
    Deployment deployment = fixture.deployment(0);
    TrimmedItemStore<Deployment> deployments = new TrimmedItemStore<>();
    deployments.put(deployments.getKey(deployment), deployment);
    Deployment cached = deployments.get("web/shop-web");

    assertThat(cached.getSpec().getReplicas()).isZero();
    assertThat(cached.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("app", "shop-web");
    assertThat(cached.getSpec().getTemplate().getSpec()).isNull();
    assertThat(cached.getStatus().getConditions()).extracting(c -> c.getReason()).contains("NewReplicaSetAvailable");
  }

  @Test
  void statefulSetsKeepTheirUpdateStrategyToReadARolloutByIt() {
    var statefulSet = new io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder()
        .withNewMetadata().withNamespace("web").withName("db").endMetadata()
        .withNewSpec().withReplicas(3).withNewUpdateStrategy().withType("RollingUpdate").withNewRollingUpdate()
        .withPartition(2).endRollingUpdate().endUpdateStrategy()
        .withNewTemplate().withNewMetadata().withLabels(Map.of("app", "db")).endMetadata()
        .withNewSpec().addNewContainer().withName("db").endContainer().endSpec().endTemplate().endSpec()
        .build();
    TrimmedItemStore<io.fabric8.kubernetes.api.model.apps.StatefulSet> statefulSets = new TrimmedItemStore<>();
    statefulSets.put(statefulSets.getKey(statefulSet), statefulSet);
    var cached = statefulSets.get("web/db");

    assertThat(cached.getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(cached.getSpec().getUpdateStrategy().getRollingUpdate().getPartition()).isEqualTo(2);
    assertThat(cached.getSpec().getTemplate().getSpec()).isNull();
  }

  @Test
  void podsLoseTheirUidAndShareOneCopyOfEachKindAndApiVersion() {
    Pod first = new PodBuilder(fixture.pod(1, "10.0.0.7", 8080, true))
        .editMetadata().withUid("3f1c9a52-0001").addNewOwnerReference().withKind(new String("ReplicaSet"))
          .withName("shop-web-7d9f").endOwnerReference().endMetadata().withKind(new String("Pod")).build();
    Pod second = new PodBuilder(fixture.pod(2, "10.0.0.8", 8080, true))
        .editMetadata().withUid("3f1c9a52-0002").addNewOwnerReference().withKind(new String("ReplicaSet"))
          .withName("shop-web-7d9f").endOwnerReference().endMetadata().withKind(new String("Pod")).build();
    pods.put(pods.getKey(first), first);
    pods.put(pods.getKey(second), second);
    Pod one = pods.get("web/shop-web-1");
    Pod two = pods.get("web/shop-web-2");

    // Pods are told apart by namespace and name; nothing reads their uid.
    assertThat(one.getMetadata().getUid()).isNull();
    assertThat(one.getKind()).isEqualTo("Pod").isSameAs(two.getKind());
    assertThat(one.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getKind()).isEqualTo("ReplicaSet")
            .isSameAs(two.getMetadata().getOwnerReferences().get(0).getKind()));
  }

  @Test
  void sitesKeepTheirUidSpecAndStatusAndShareTheTextsTheirStatusesRepeat() {
    TrimmedItemStore<Site> sites = new TrimmedItemStore<>();
    Site shop = siteWithStatus(fixture, "uid-shop");
    Site blog = siteWithStatus(new SiteFixture("web", "blog", "blog.example.com"), "uid-blog");
    sites.put(sites.getKey(shop), shop);
    sites.put(sites.getKey(blog), blog);
    Site one = sites.get("web/shop");
    Site two = sites.get("web/blog");

    // Its uid names it in Events and in its deletion; managed fields and kubectl's copy are never sent back.
    assertThat(one.getMetadata().getUid()).isEqualTo("uid-shop");
    assertThat(one.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(one.getMetadata().getAnnotations()).containsOnlyKeys("team");
    assertThat(one.getSpec().getHost()).isEqualTo("shop.example.com");
    Condition ready = one.getStatus().getConditions().get(0);
    Condition otherReady = two.getStatus().getConditions().get(0);
    assertThat(ready.getMessage()).isEqualTo("shop answers");
    assertThat(ready.getType()).isEqualTo("Ready").isSameAs(otherReady.getType());
    assertThat(ready.getReason()).isEqualTo("Healthy").isSameAs(otherReady.getReason());
    assertThat(one.getStatus().getFault()).isEqualTo("None").isSameAs(two.getStatus().getFault());
    // Conditions carry no unknown fields: one shared empty map instead of a map each.
    assertThat(ready.getAdditionalProperties()).isEmpty();
    assertThat(ready.getAdditionalProperties()).isSameAs(otherReady.getAdditionalProperties());
  }

  @Test
  void endpointsKeepAddressConditionsAndWhichPodTheyAreButNotWhereItRuns() {
    EndpointSlice slice = new EndpointSliceBuilder(fixture.endpointSlice(8080, Map.of("10.0.0.7", true)))
        .editFirstEndpoint().withNodeName("node-1").withZone("eu-west-1a")
          .withNewTargetRef().withKind("Pod").withNamespace("web").withName("shop-web-1").withUid("3f1c9a52-0001")
            .withResourceVersion("812").endTargetRef().endEndpoint()
        .build();
    TrimmedItemStore<EndpointSlice> slices = new TrimmedItemStore<>();
    slices.put(slices.getKey(slice), slice);
    Endpoint cached = slices.get(slices.getKey(slice)).getEndpoints().get(0);

    assertThat(cached.getAddresses()).containsExactly("10.0.0.7");
    assertThat(cached.getConditions().getReady()).isTrue();
    assertThat(cached.getTargetRef().getName()).isEqualTo("shop-web-1");
    assertThat(cached.getTargetRef().getKind()).isEqualTo("Pod");
    assertThat(cached.getTargetRef().getNamespace()).isEqualTo("web");
    assertThat(cached.getNodeName()).isNull();
    assertThat(cached.getZone()).isNull();
    assertThat(cached.getTargetRef().getUid()).isNull();
  }

  @Test
  void podsKeepTheConditionsTheDiagnosisReadsAndReadyPodsShareThem() {
    Pod first = fixture.pod(1, "10.0.0.7", 8080, true);
    Pod second = fixture.pod(2, "10.0.0.8", 8080, true);
    Pod pending = new PodBuilder(fixture.pod(3, null, 8080, false))
        .editStatus().withPhase("Pending").withConditions(new PodConditionBuilder().withType("PodScheduled")
            .withStatus("False").withReason("Unschedulable")
            .withMessage("0/3 nodes are available: 3 Insufficient cpu.").build()).endStatus()
        .build();
    for (Pod pod : List.of(first, second, pending)) {
      pods.put(pods.getKey(pod), pod);
    }
    Pod one = pods.get("web/shop-web-1");
    Pod two = pods.get("web/shop-web-2");

    assertThat(fixture.pod(1, "10.0.0.7", 8080, true).getStatus().getConditions()).hasSizeGreaterThan(2);
    assertThat(one.getStatus().getConditions()).extracting(PodCondition::getType)
        .containsExactlyInAnyOrder("Ready", "PodScheduled");
    assertThat(one.getStatus().getConditions()).filteredOn(c -> c.getType().equals("Ready"))
        .singleElement().satisfies(c -> assertThat(c.getStatus()).isEqualTo("True"));
    assertThat(one.getStatus().getConditions()).isSameAs(two.getStatus().getConditions());
    assertThat(pods.get("web/shop-web-3").getStatus().getConditions()).singleElement().satisfies(c -> {
      assertThat(c.getReason()).isEqualTo("Unschedulable");
      assertThat(c.getMessage()).isEqualTo("0/3 nodes are available: 3 Insufficient cpu.");
    });
  }

  private static Site siteWithStatus(SiteFixture f, String uid) {
    Site site = f.site(8443, 30, 3);
    site.getMetadata().setUid(uid);
    site.getMetadata().setAnnotations(new HashMap<>(Map.of(CachedObjectTrim.LAST_APPLIED, "{}", "team", "shop")));
    site.getMetadata().setManagedFields(new ArrayList<>(List.of(new ManagedFieldsEntryBuilder().withManager("argocd").build())));
    SiteStatus status = new SiteStatus();
    status.setFault(new String("None"));
    status.setReason(new String("Healthy"));
    status.setConditions(new ArrayList<>(List.of(new ConditionBuilder().withType(new String("Ready")).withStatus(new String("True"))
        .withReason(new String("Healthy")).withMessage(f.name() + " answers").build())));
    site.setStatus(status);
    return site;
  }

  /** ingress-nginx's controller ConfigMap holds dozens of settings (Lua, snippets); two are read. */
  @Test
  void ingressNginxsConfigMapKeepsOnlyTheKeysRead() {
    TrimmedItemStore<ConfigMap> configMaps = new TrimmedItemStore<>();
    ConfigMap configMap = new ConfigMapBuilder()
        .withNewMetadata().withNamespace("ingress-nginx").withName("ingress-nginx-controller")
          .addToLabels("app.kubernetes.io/name", "ingress-nginx").addToAnnotations("meta.helm.sh/release-name", "x")
        .endMetadata()
        .addToData("whitelist-source-range", "173.245.48.0/20").addToData("global-auth-url", "https://sso/auth")
        .addToData("http-snippet", "x".repeat(10_000)).addToData("allow-snippet-annotations", "false")
        .addToBinaryData("blob", "AAAA")
        .build();

    configMaps.put(configMaps.getKey(configMap), configMap);
    ConfigMap cached = configMaps.get("ingress-nginx/ingress-nginx-controller");

    assertThat(cached.getData()).containsOnlyKeys("whitelist-source-range", "global-auth-url");
    assertThat(cached.getBinaryData()).isNullOrEmpty();
    assertThat(cached.getMetadata().getAnnotations()).isNotNull().isEmpty();
    assertThat(cached.getMetadata().getLabels()).isNullOrEmpty();
  }
}

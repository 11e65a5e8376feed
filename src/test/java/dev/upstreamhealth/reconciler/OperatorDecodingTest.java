package dev.upstreamhealth.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.upstreamhealth.api.Site;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

class OperatorDecodingTest {
  private final KubernetesSerialization decoding = OperatorDecoding.serialization();

  private static final String POD = """
      {"apiVersion": "v1", "kind": "Pod",
       "metadata": {"name": "web-1", "namespace": "shop", "labels": {"app": "web"},
         "annotations": {
           "kubectl.kubernetes.io/last-applied-configuration": "{\\"apiVersion\\":\\"v1\\",\\"kind\\":\\"Pod\\"}",
           "nginx.ingress.kubernetes.io/proxy-read-timeout": "30",
           "example.com/replicas": 3,
           "example.com/empty": null},
         "managedFields": [{"manager": "kubectl", "operation": "Apply", "apiVersion": "v1",
           "fieldsType": "FieldsV1", "fieldsV1": {"f:metadata": {"f:labels": {"f:app": {}}}}}],
         "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-5d9", "uid": "u1"}]},
       "status": {"podIP": "10.0.0.7"}}
      """;

  @Test
  void managedFieldsAndKubectlsCopyAreNotDecodedButEverythingElseIs() {
    Pod pod = decoding.unmarshal(POD, Pod.class);

    assertThat(pod.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(pod.getMetadata().getAnnotations())
        .doesNotContainKey(CachedObjectTrim.LAST_APPLIED)
        .containsEntry("nginx.ingress.kubernetes.io/proxy-read-timeout", "30")
        .containsEntry("example.com/replicas", "3")
        .containsEntry("example.com/empty", null);
    assertThat(pod.getMetadata().getLabels()).containsEntry("app", "web");
    assertThat(pod.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getName()).isEqualTo("web-5d9"));
    assertThat(pod.getStatus().getPodIP()).isEqualTo("10.0.0.7");
  }

  @Test
  void aSiteDecodesWhole() {
    Site site = decoding.unmarshal("""
        {"apiVersion": "upstreamhealth.dev/v1alpha1", "kind": "Site",
         "metadata": {"name": "blog", "namespace": "web", "managedFields": [{"manager": "argocd"}]},
         "spec": {"host": "blog.example.com"}}
        """, Site.class);

    assertThat(site.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(site.getMetadata().getName()).isEqualTo("blog");
    assertThat(site.getSpec().getHost()).isEqualTo("blog.example.com");
  }

  @Test
  void aSitesWatchEventDecodesStraightToASite() {
    WatchEvent event = decoding.unmarshal("""
        {"type": "MODIFIED", "object": {"apiVersion": "upstreamhealth.dev/v1alpha1", "kind": "Site",
         "metadata": {"name": "blog", "namespace": "web", "resourceVersion": "7"},
         "spec": {"host": "blog.example.com", "probe": {"intervalSeconds": 10}},
         "status": {"fault": "None", "reason": "Healthy"}}}
        """, WatchEvent.class);

    // Not a generic resource the watch would convert again: the event's object is the Site.
    assertThat(event.getObject()).isInstanceOfSatisfying(Site.class, site -> {
      assertThat(site.getSpec().getHost()).isEqualTo("blog.example.com");
      assertThat(site.getSpec().getProbe().getIntervalSeconds()).isEqualTo(10);
      assertThat(site.getStatus().getReason()).isEqualTo("Healthy");
    });
  }

  /**
   * The reconcile reads the cached Site itself: no copy, and so nothing of it may be written. What
   * the cache holds refuses the writes a reconcile could be tempted to make (its status's lists,
   * its labels), rather than changing the Site under every other reader.
   */
  @Test
  void aReconcileGetsTheCachedSiteItselfAndCannotWriteToItsStatusOrLabels() {
    Site decoded = decoding.unmarshal("""
        {"apiVersion": "upstreamhealth.dev/v1alpha1", "kind": "Site",
         "metadata": {"name": "blog", "namespace": "web", "resourceVersion": "7", "generation": 3,
           "labels": {"team": "web"}, "creationTimestamp": "2026-12-02T16:57:10Z"},
         "spec": {"host": "blog.example.com", "origin": {"ingressName": "blog"}, "futureField": {"a": 1}},
         "status": {"fault": "OriginDown", "reason": "OriginRefused", "observedGeneration": 3,
           "conditions": [{"type": "OriginDown", "status": "True", "reason": "OriginRefused",
             "lastTransitionTime": "2026-12-02T16:58:00Z", "message": "refused"}],
           "conditionsFromProbes": ["OriginDown"],
           "probes": [{"layer": "origin", "outcome": "refused"}],
           "upstreams": [{"service": "blog", "readyEndpoints": 0, "totalEndpoints": 2}]}}
        """, Site.class);
    TrimmedItemStore<Site> cache = new TrimmedItemStore<>();
    cache.put(cache.getKey(decoded), decoded);
    Site cached = cache.get("web/blog");
    String before = decoding.asJson(cached);

    Site reconciled = OperatorDecoding.sharedSite().clone(cached);

    assertThat(reconciled).isSameAs(cached);
    assertThatThrownBy(() -> reconciled.getStatus().getConditions().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> reconciled.getStatus().getUpstreams().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> reconciled.getStatus().getProbes().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> reconciled.getStatus().getConditionsFromProbes().add("BadGateway"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> reconciled.getMetadata().getLabels().put("team", "shop"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(decoding.asJson(cached)).as("the cached Site, after the writes were refused").isEqualTo(before);
  }

  @Test
  void anAnnotationThatIsNotTextIsAnErrorNotAMisreadObject() {
    String json = POD.replace("\"example.com/empty\": null", "\"example.com/nested\": {\"a\": \"b\"}");

    assertThatThrownBy(() -> decoding.unmarshal(json, Pod.class)).rootCause().hasMessageContaining("example.com/nested");
  }

  @Test
  void whatTheOperatorWritesIsWrittenAsBefore() {
    ObjectMeta meta = new ObjectMetaBuilder().withName("lease")
        .withManagedFields(new ManagedFieldsEntryBuilder().withManager("upstream-health-operator").build())
        .addToAnnotations(CachedObjectTrim.LAST_APPLIED, "{}")
        .build();

    assertThat(decoding.asJson(meta)).contains("managedFields", "upstream-health-operator", CachedObjectTrim.LAST_APPLIED);
  }
}

package dev.upstreamhealth.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.diagnosis.SpecProblems;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A Site stored by an API server that applied no schema decodes whatever its spec holds: the
 * field that cannot be read is named (InvalidSpec), never an exception that would stop the
 * informer listing every Site.
 */
class LenientSiteSpecTest {
  /** How the operator's client decodes. */
  final KubernetesSerialization serialization = OperatorDecoding.serialization();

  private Site site(String probe) {
    return serialization.unmarshal("""
        {"apiVersion": "upstreamhealth.dev/v1alpha1", "kind": "Site",
         "metadata": {"name": "shop", "namespace": "web"},
         "specs": {"a typo": "beside spec"},
         "spec": {"host": "shop.example.com", "origin": {"ingressName": "shop"}, %s}}
        """.formatted(probe), Site.class);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "\"probe\": {\"intervalSeconds\": \"thirty\"} | spec.probe.intervalSeconds is \"thirty\", not an integer",
      "\"maintenance\": {\"active\": \"yes\"} | spec.maintenance.active is \"yes\", not true or false",
      "\"cdn\": {\"sourceRanges\": {\"range\": \"10.0.0.0/8\"}} | spec.cdn.sourceRanges not a list",
      "\"probe\": {\"intervalSeconds\": 2147483648} | spec.probe.intervalSeconds is 2147483648, not an integer in range",
      "\"origin\": \"shop\" | spec.origin not an object"})
  void aFieldTheModelCannotHoldIsNamedAndTheSiteStillDecodes(String field, String named) {
    Site site = site(field);

    assertThat(site.getSpec().getUnreadable()).startsWith(named).contains("without the CRD's schema");
    assertThat(SpecProblems.of(site.getSpec())).singleElement().asString().startsWith(named);

    Site copy = serialization.clone(site);
    assertThat(copy.getSpec().getUnreadable()).as("a copy reads the same").isEqualTo(site.getSpec().getUnreadable());
  }

  @Test
  void aReadableSpecIsReadAsBeforeAndItsCopyToo() {
    Site site = site("\"probe\": {\"intervalSeconds\": 10, \"retries\": 2}");

    assertThat(site.getSpec().getUnreadable()).isNull();
    assertThat(site.getSpec().getProbe().getIntervalSeconds()).isEqualTo(10);
    assertThat(SpecProblems.of(site.getSpec())).isEmpty();
    Site copy = serialization.clone(site);
    assertThat(copy.getSpec().getHost()).isEqualTo("shop.example.com");
    assertThat(copy.getSpec().getProbe().getIntervalSeconds()).isEqualTo(10);
    assertThat(serialization.asJson(copy)).doesNotContain("unreadable", "Stored");
  }
}

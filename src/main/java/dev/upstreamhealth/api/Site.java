package dev.upstreamhealth.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** One public hostname served by a CDN from an origin in this cluster. */
@Group(Site.GROUP)
@Version(Site.VERSION)
@Plural("sites")
@Singular("site")
@AdditionalPrinterColumn(name = "Host", jsonPath = ".spec.host")
@AdditionalPrinterColumn(name = "Fault", jsonPath = ".status.fault")
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.reason")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
// A field of the resource this version does not know (a real API server prunes them; one without
// the schema keeps them) is no reason to fail the Site, nor the informer that lists it.
@JsonIgnoreProperties(ignoreUnknown = true)
public class Site extends CustomResource<SiteSpec, SiteStatus> implements Namespaced {
  public static final String GROUP = "upstreamhealth.dev";
  public static final String VERSION = "v1alpha1";
  public static final String CRD_NAME = "sites." + GROUP;

  @Override
  protected SiteSpec initSpec() {
    return new SiteSpec();
  }

  @Override
  @Required
  public SiteSpec getSpec() {
    return super.getSpec();
  }

  /** Declared here so that a client's own reading of the spec can be attached to Site (a mix-in). */
  @Override
  public void setSpec(SiteSpec spec) {
    super.setSpec(spec);
  }
}

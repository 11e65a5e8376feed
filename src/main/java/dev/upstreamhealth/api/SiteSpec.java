package dev.upstreamhealth.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class SiteSpec {
  /** DNS name of labels of at most 63, optionally a leading wildcard label; lower case as Kubernetes stores hosts. */
  static final String HOST_PATTERN =
      "^(\\*\\.)?[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$";

  @Required
  @Size(max = 253)
  @Pattern(HOST_PATTERN)
  @JsonPropertyDescription("Public hostname the CDN serves; the Host header and TLS SNI of every probe (a wildcard *.example.com is probed as upstream-health-probe.example.com).")
  private String host;

  @Required
  @JsonPropertyDescription("Where the CDN connects: the Ingress or Gateway API HTTPRoute that routes host, and optionally the address the CDN is configured with.")
  private OriginSpec origin = new OriginSpec();

  @JsonPropertyDescription("The ingress controller's Service (the gateway between the load balancer and the upstreams); for an HTTPRoute, optional: the Gateway's data-plane Service is found from its implementation's labels.")
  private GatewaySpec gateway;

  @JsonPropertyDescription("How the origin, gateway and upstream endpoints are probed.")
  private ProbeSpec probe = new ProbeSpec();

  @JsonPropertyDescription("Declared maintenance: a 503 is expected, not alarming.")
  private MaintenanceSpec maintenance = new MaintenanceSpec();

  @JsonPropertyDescription("What is known of the CDN in front of the origin.")
  private CdnSpec cdn = new CdnSpec();

  /**
   * The spec as the API server stored it, when these fields cannot hold it: a value of the wrong
   * type where no schema checked it (the operator's client reads such a spec leniently); else null.
   */
  @JsonIgnore
  private Map<String, Object> unreadableAsStored;
  /** Which field of it could not be read, and why; null when the spec was read. */
  @JsonIgnore
  private String unreadable;

  /** A spec the API server stored without the CRD's schema, that these fields cannot hold. */
  public static SiteSpec unreadable(Map<String, Object> asStored, String problem) {
    SiteSpec spec = new SiteSpec();
    spec.unreadableAsStored = asStored;
    spec.unreadable = problem;
    return spec;
  }

  /** Which field of the stored spec could not be read, and why; null when it was read. */
  @JsonIgnore
  public String getUnreadable() { return unreadable; }

  /** The stored spec that could not be read, to be written back as it was; null when it was read. */
  @JsonIgnore
  public Map<String, Object> getUnreadableAsStored() { return unreadableAsStored; }

  public String getHost() { return host; }
  public void setHost(String host) { this.host = host; }
  public OriginSpec getOrigin() { return origin; }
  public void setOrigin(OriginSpec origin) { this.origin = origin; }
  public GatewaySpec getGateway() { return gateway; }
  public void setGateway(GatewaySpec gateway) { this.gateway = gateway; }
  public ProbeSpec getProbe() { return probe; }
  public void setProbe(ProbeSpec probe) { this.probe = probe; }
  public MaintenanceSpec getMaintenance() { return maintenance; }
  public void setMaintenance(MaintenanceSpec maintenance) { this.maintenance = maintenance; }
  public CdnSpec getCdn() { return cdn; }
  public void setCdn(CdnSpec cdn) { this.cdn = cdn; }
}

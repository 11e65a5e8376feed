package dev.upstreamhealth.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

@JsonIgnoreProperties(ignoreUnknown = true)
public class GatewaySpec {
  private static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

  @Required
  @Size(max = 63)
  @Pattern(DNS_LABEL)
  @JsonPropertyDescription("Namespace of the ingress controller's (or Gateway data plane's) Service.")
  private String serviceNamespace;

  @Required
  @Size(max = 63)
  @Pattern(DNS_LABEL)
  @JsonPropertyDescription("Name of the ingress controller's (or Gateway data plane's) Service.")
  private String serviceName;

  public GatewaySpec() {}

  public GatewaySpec(String serviceNamespace, String serviceName) {
    this.serviceNamespace = serviceNamespace;
    this.serviceName = serviceName;
  }

  public String getServiceNamespace() { return serviceNamespace; }
  public void setServiceNamespace(String serviceNamespace) { this.serviceNamespace = serviceNamespace; }
  public String getServiceName() { return serviceName; }
  public void setServiceName(String serviceName) { this.serviceName = serviceName; }
}

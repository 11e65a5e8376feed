package dev.upstreamhealth.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "(has(self.ingressName) && self.ingressName != '') != (has(self.httpRouteName) && self.httpRouteName != '')",
    message = "set exactly one of origin.ingressName and origin.httpRouteName")
@JsonIgnoreProperties(ignoreUnknown = true)
public class OriginSpec {
  static final String OBJECT_NAME = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  @Size(max = 253)
  @Pattern("^$|" + OBJECT_NAME)
  @JsonPropertyDescription("Ingress in the Site's namespace that routes host (exactly one of ingressName and httpRouteName).")
  private String ingressName;

  @Size(max = 253)
  @Pattern("^$|" + OBJECT_NAME)
  @JsonPropertyDescription("Gateway API HTTPRoute (gateway.networking.k8s.io/v1) in the Site's namespace whose hostnames cover host; its parent Gateway is the origin (exactly one of ingressName and httpRouteName).")
  private String httpRouteName;

  @Size(max = 253)
  @JsonPropertyDescription("The origin address the CDN is configured with (IP or DNS name); checked against the load-balancer addresses of the Ingress, or of the HTTPRoute's Gateway (status.addresses).")
  private String address = "";

  @Min(0)
  @Max(65535)
  @Default("0")
  @JsonPropertyDescription("Origin port; 0 means the scheme's port (443 for https, 80 for http), the scheme being derived when empty; for an HTTPRoute, the port of the Gateway listener that carries host (HTTPS first).")
  private Integer port = 0;

  @Pattern("^(|http|https)$")
  @JsonPropertyDescription("http or https; empty means http for port 80, https for port 443 (for an HTTPRoute: the protocol of the listener on the port), else https if the Ingress, or another Ingress of its class with a rule for host, has TLS for host (for an HTTPRoute: an HTTPS listener of its Gateway covers host), else http.")
  private String scheme = "";

  @Pattern("^(|none|v1|v2)$")
  @JsonPropertyDescription("PROXY protocol the load balancer speaks to the gateway: none, v1 or v2; empty detects it from the gateway Service's cloud annotations (v1).")
  private String proxyProtocol = "";

  public String getIngressName() { return ingressName; }
  public void setIngressName(String ingressName) { this.ingressName = ingressName; }
  public String getHttpRouteName() { return httpRouteName; }
  public void setHttpRouteName(String httpRouteName) { this.httpRouteName = httpRouteName; }
  public String getAddress() { return address; }
  public void setAddress(String address) { this.address = address; }
  public Integer getPort() { return port; }
  public void setPort(Integer port) { this.port = port; }
  public String getScheme() { return scheme; }
  public void setScheme(String scheme) { this.scheme = scheme; }
  public String getProxyProtocol() { return proxyProtocol; }
  public void setProxyProtocol(String proxyProtocol) { this.proxyProtocol = proxyProtocol; }
}

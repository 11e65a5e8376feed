package dev.upstreamhealth.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class OriginSpec {
  @Required
  @Size(min = 1, max = 253)
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
  @JsonPropertyDescription("Ingress in the Site's namespace that routes host.")
  private String ingressName;

  @Size(max = 253)
  @JsonPropertyDescription("The origin address the CDN is configured with (IP or DNS name); checked against the Ingress's load-balancer addresses.")
  private String address = "";

  @Min(0)
  @Max(65535)
  @Default("0")
  @JsonPropertyDescription("Origin port; 0 means 443 if the Ingress has TLS for host, else 80.")
  private Integer port = 0;

  @Pattern("^(|http|https)$")
  @JsonPropertyDescription("http or https; empty means https if the Ingress has TLS for host, else http.")
  private String scheme = "";

  public String getIngressName() { return ingressName; }
  public void setIngressName(String ingressName) { this.ingressName = ingressName; }
  public String getAddress() { return address; }
  public void setAddress(String address) { this.address = address; }
  public Integer getPort() { return port; }
  public void setPort(Integer port) { this.port = port; }
  public String getScheme() { return scheme; }
  public void setScheme(String scheme) { this.scheme = scheme; }
}

package dev.upstreamhealth.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class OriginStatus {
  @JsonPropertyDescription("IP or DNS name the origin probe connects to.")
  private String address;
  private Integer port;
  private String scheme;
  @JsonPropertyDescription("Where the address came from: LoadBalancer (the Ingress status) or Spec (origin.address).")
  private String source;

  public OriginStatus() {}

  public OriginStatus(String address, Integer port, String scheme, String source) {
    this.address = address;
    this.port = port;
    this.scheme = scheme;
    this.source = source;
  }

  public String getAddress() { return address; }
  public void setAddress(String address) { this.address = address; }
  public Integer getPort() { return port; }
  public void setPort(Integer port) { this.port = port; }
  public String getScheme() { return scheme; }
  public void setScheme(String scheme) { this.scheme = scheme; }
  public String getSource() { return source; }
  public void setSource(String source) { this.source = source; }

  @Override
  public boolean equals(Object o) {
    return o instanceof OriginStatus other
        && Objects.equals(address, other.address) && Objects.equals(port, other.port)
        && Objects.equals(scheme, other.scheme) && Objects.equals(source, other.source);
  }

  @Override
  public int hashCode() { return Objects.hash(address, port, scheme, source); }
}

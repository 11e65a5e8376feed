package dev.upstreamhealth.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class UpstreamStatus {
  @JsonPropertyDescription("Backend Service of host, namespace/name.")
  private String service;
  private Integer readyEndpoints;
  private Integer totalEndpoints;
  @JsonPropertyDescription("For an ExternalName Service: the DNS name it aliases (no endpoints to count; probes decide).")
  private String externalName;

  public UpstreamStatus() {}

  public UpstreamStatus(String service, int readyEndpoints, int totalEndpoints) {
    this.service = service;
    this.readyEndpoints = readyEndpoints;
    this.totalEndpoints = totalEndpoints;
  }

  public UpstreamStatus(String service, int readyEndpoints, int totalEndpoints, String externalName) {
    this(service, readyEndpoints, totalEndpoints);
    this.externalName = externalName;
  }

  public String getService() { return service; }
  public void setService(String service) { this.service = service; }
  public Integer getReadyEndpoints() { return readyEndpoints; }
  public void setReadyEndpoints(Integer readyEndpoints) { this.readyEndpoints = readyEndpoints; }
  public Integer getTotalEndpoints() { return totalEndpoints; }
  public void setTotalEndpoints(Integer totalEndpoints) { this.totalEndpoints = totalEndpoints; }
  public String getExternalName() { return externalName; }
  public void setExternalName(String externalName) { this.externalName = externalName; }

  @Override
  public boolean equals(Object o) {
    return o instanceof UpstreamStatus other && Objects.equals(service, other.service)
        && Objects.equals(readyEndpoints, other.readyEndpoints)
        && Objects.equals(totalEndpoints, other.totalEndpoints)
        && Objects.equals(externalName, other.externalName);
  }

  @Override
  public int hashCode() { return Objects.hash(service, readyEndpoints, totalEndpoints, externalName); }
}

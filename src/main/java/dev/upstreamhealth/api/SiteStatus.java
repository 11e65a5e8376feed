package dev.upstreamhealth.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class SiteStatus {
  @JsonPropertyDescription("The metadata.generation this status was computed from.")
  private Long observedGeneration;

  @JsonPropertyDescription("The error a visitor would get through the CDN now: None, 521, 502, 503, Other or Unknown.")
  private String fault;

  @JsonPropertyDescription("Reason of the condition that set fault (Healthy when fault is None).")
  private String reason;

  @JsonPropertyDescription("What is wrong, naming the objects and numbers behind it.")
  private String message;

  @JsonPropertyDescription("Ready, OriginDown, BadGateway, ServiceUnavailable and Degraded, always all five.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("The origin address probes connect to, as the CDN would.")
  private OriginStatus origin;

  @JsonPropertyDescription("Endpoint counts of each upstream Service of host.")
  private List<UpstreamStatus> upstreams = new ArrayList<>();

  @JsonPropertyDescription("Last probe of each layer when status was last written.")
  private List<LayerProbeStatus> probes = new ArrayList<>();

  @JsonPropertyDescription("Conditions whose status rests on what the probes saw; after an operator restart they stand until its own probes conclude.")
  private List<String> conditionsFromProbes = new ArrayList<>();

  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
  public String getFault() { return fault; }
  public void setFault(String fault) { this.fault = fault; }
  public String getReason() { return reason; }
  public void setReason(String reason) { this.reason = reason; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
  public List<Condition> getConditions() { return conditions; }
  public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
  public OriginStatus getOrigin() { return origin; }
  public void setOrigin(OriginStatus origin) { this.origin = origin; }
  public List<UpstreamStatus> getUpstreams() { return upstreams; }
  public void setUpstreams(List<UpstreamStatus> upstreams) { this.upstreams = upstreams; }
  public List<LayerProbeStatus> getProbes() { return probes; }
  public void setProbes(List<LayerProbeStatus> probes) { this.probes = probes; }
  public List<String> getConditionsFromProbes() { return conditionsFromProbes; }
  public void setConditionsFromProbes(List<String> conditionsFromProbes) { this.conditionsFromProbes = conditionsFromProbes; }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SiteStatus other)) return false;
    return Objects.equals(observedGeneration, other.observedGeneration)
        && Objects.equals(fault, other.fault)
        && Objects.equals(reason, other.reason)
        && Objects.equals(message, other.message)
        && Objects.equals(conditions, other.conditions)
        && Objects.equals(origin, other.origin)
        && Objects.equals(upstreams, other.upstreams)
        && Objects.equals(probes, other.probes)
        && Objects.equals(conditionsFromProbes, other.conditionsFromProbes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, fault, reason, message, conditions, origin, upstreams, probes,
        conditionsFromProbes);
  }
}

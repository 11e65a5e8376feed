package dev.upstreamhealth.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/**
 * The last probe of one layer. Latency and time are shown but not compared: a status is written
 * when what the probes conclude changes, never for a new latency alone.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class LayerProbeStatus {
  @JsonPropertyDescription("origin, gateway or upstream.")
  private String layer;
  @JsonPropertyDescription("URL probed, with the address connected to; the Host header is spec.host.")
  private String target;
  @JsonPropertyDescription("Responded, ConnectionRefused, ConnectTimeout, Unreachable, TLSFailed, MalformedResponse, ResponseTimeout or ConnectionClosed.")
  private String outcome;
  private Integer httpStatus;
  private Long latencyMillis;
  private String probedAt;
  @JsonPropertyDescription("For upstreams: how many endpoints passed their last probe, e.g. 2/3.")
  private String passing;

  public String getLayer() { return layer; }
  public void setLayer(String layer) { this.layer = layer; }
  public String getTarget() { return target; }
  public void setTarget(String target) { this.target = target; }
  public String getOutcome() { return outcome; }
  public void setOutcome(String outcome) { this.outcome = outcome; }
  public Integer getHttpStatus() { return httpStatus; }
  public void setHttpStatus(Integer httpStatus) { this.httpStatus = httpStatus; }
  public Long getLatencyMillis() { return latencyMillis; }
  public void setLatencyMillis(Long latencyMillis) { this.latencyMillis = latencyMillis; }
  public String getProbedAt() { return probedAt; }
  public void setProbedAt(String probedAt) { this.probedAt = probedAt; }
  public String getPassing() { return passing; }
  public void setPassing(String passing) { this.passing = passing; }

  /** Equal in what the probe concluded; latency and time are left out on purpose. */
  @Override
  public boolean equals(Object o) {
    return o instanceof LayerProbeStatus other && Objects.equals(layer, other.layer)
        && Objects.equals(target, other.target) && Objects.equals(outcome, other.outcome)
        && Objects.equals(httpStatus, other.httpStatus) && Objects.equals(passing, other.passing);
  }

  @Override
  public int hashCode() { return Objects.hash(layer, target, outcome, httpStatus, passing); }
}

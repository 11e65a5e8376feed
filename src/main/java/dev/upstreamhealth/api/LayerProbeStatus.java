package dev.upstreamhealth.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/**
 * The probe result that counts for one layer. Latency, phase timings, time and the probe's own
 * words are shown but not compared: a status is written when what the probes conclude changes,
 * never for a new latency alone.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class LayerProbeStatus {
  @JsonPropertyDescription("origin, gateway or upstream.")
  private String layer;
  @JsonPropertyDescription("URL probed, with the address connected to; the Host header is spec.host (never with a port).")
  private String target;
  @JsonPropertyDescription("Responded, ConnectionRefused, ConnectTimeout, Unreachable, NameLookupFailed (no answer from the resolver: no evidence), TLSFailed, TLSNotJudged (only TLS 1.0/1.1, which the JDK's TLS will not offer: no evidence), CertificateInvalid, MalformedResponse, ResponseTimeout, ConnectionClosed, RedirectLoop (asked over http, a redirect to the same address over https), ClientCertificateRequired, AddressNotAdmitted (the gateway's allowlist refused the probe's address) or CredentialsRequired (the gateway asked for credentials first): the origin reached, its page unseen; Connected (a connect-only check) or NotProbed (refused by the operator's probe policy).")
  private String outcome;
  @JsonPropertyDescription("The HTTP status the probe got, literally.")
  private Integer httpStatus;
  @JsonPropertyDescription("For a 502, 503 or 504: gateway (its own error page) or upstream (an upstream's answer passed on).")
  private String answeredBy;
  @JsonPropertyDescription("The address:port that answered.")
  private String remoteAddress;
  @JsonPropertyDescription("When the certificate the server presented expires (https).")
  private String certificateNotAfter;
  private Long latencyMillis;
  private ProbePhases phases;
  private String probedAt;
  @JsonPropertyDescription("The probe's own explanation, e.g. which certificate check failed.")
  private String detail;
  @JsonPropertyDescription("For upstreams: how many endpoints passed their last probe, e.g. 2/3.")
  private String passing;
  @JsonPropertyDescription("What the result means beyond the outcome, e.g. why failing upstream probes are not counted.")
  private String note;

  public String getLayer() { return layer; }
  public void setLayer(String layer) { this.layer = layer; }
  public String getTarget() { return target; }
  public void setTarget(String target) { this.target = target; }
  public String getOutcome() { return outcome; }
  public void setOutcome(String outcome) { this.outcome = outcome; }
  public Integer getHttpStatus() { return httpStatus; }
  public void setHttpStatus(Integer httpStatus) { this.httpStatus = httpStatus; }
  public String getAnsweredBy() { return answeredBy; }
  public void setAnsweredBy(String answeredBy) { this.answeredBy = answeredBy; }
  public String getRemoteAddress() { return remoteAddress; }
  public void setRemoteAddress(String remoteAddress) { this.remoteAddress = remoteAddress; }
  public String getCertificateNotAfter() { return certificateNotAfter; }
  public void setCertificateNotAfter(String certificateNotAfter) { this.certificateNotAfter = certificateNotAfter; }
  public Long getLatencyMillis() { return latencyMillis; }
  public void setLatencyMillis(Long latencyMillis) { this.latencyMillis = latencyMillis; }
  public ProbePhases getPhases() { return phases; }
  public void setPhases(ProbePhases phases) { this.phases = phases; }
  public String getProbedAt() { return probedAt; }
  public void setProbedAt(String probedAt) { this.probedAt = probedAt; }
  public String getDetail() { return detail; }
  public void setDetail(String detail) { this.detail = detail; }
  public String getPassing() { return passing; }
  public void setPassing(String passing) { this.passing = passing; }
  public String getNote() { return note; }
  public void setNote(String note) { this.note = note; }

  /** Equal in what the probe concluded; latency, phases, time and the probe's words are left out on purpose. */
  @Override
  public boolean equals(Object o) {
    return o instanceof LayerProbeStatus other && Objects.equals(layer, other.layer)
        && Objects.equals(target, other.target) && Objects.equals(outcome, other.outcome)
        && Objects.equals(httpStatus, other.httpStatus) && Objects.equals(answeredBy, other.answeredBy)
        && Objects.equals(remoteAddress, other.remoteAddress)
        && Objects.equals(certificateNotAfter, other.certificateNotAfter)
        && Objects.equals(passing, other.passing) && Objects.equals(note, other.note);
  }

  @Override
  public int hashCode() {
    return Objects.hash(layer, target, outcome, httpStatus, answeredBy, remoteAddress, certificateNotAfter, passing, note);
  }
}

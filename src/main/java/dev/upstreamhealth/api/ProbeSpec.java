package dev.upstreamhealth.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@ValidationRule(
    value = "!has(self.timeoutSeconds) || !has(self.intervalSeconds) || self.timeoutSeconds < self.intervalSeconds",
    message = "probe.timeoutSeconds must be less than probe.intervalSeconds")
@JsonIgnoreProperties(ignoreUnknown = true)
public class ProbeSpec {
  /** "200-399", "200-299,301": codes and ranges of three-digit HTTP statuses. */
  static final String STATUS_LIST_PATTERN = "^\\s*[1-5][0-9]{2}(\\s*-\\s*[1-5][0-9]{2})?(\\s*,\\s*[1-5][0-9]{2}(\\s*-\\s*[1-5][0-9]{2})?)*\\s*$";

  @Default("/")
  @Size(max = 2048)
  @Pattern("^/[!-~]*$")
  @JsonPropertyDescription("Path of every probe's GET request.")
  private String path = "/";

  @Min(1)
  @Max(86400)
  @Default("30")
  @JsonPropertyDescription("Seconds between probes of each target.")
  private Integer intervalSeconds = 30;

  @Min(1)
  @Max(3600)
  @Default("5")
  @JsonPropertyDescription("Seconds a probe may take, connect and answer; less than intervalSeconds.")
  private Integer timeoutSeconds = 5;

  @Min(1)
  @Max(100)
  @Default("3")
  @JsonPropertyDescription("Consecutive failures before a probe fault counts.")
  private Integer failureThreshold = 3;

  @Min(1)
  @Max(100)
  @Default("1")
  @JsonPropertyDescription("Consecutive successes before a probe fault clears.")
  private Integer successThreshold = 1;

  @Default("200-399")
  @Size(max = 256)
  @Pattern(STATUS_LIST_PATTERN)
  @JsonPropertyDescription("HTTP statuses that count as healthy: codes and ranges, comma separated, e.g. \"200-299,301\".")
  private String expectedStatus = "200-399";

  @Default("true")
  @JsonPropertyDescription("Also probe each ready upstream endpoint directly.")
  private Boolean upstreams = true;

  @Min(0)
  @Max(3650)
  @Default("14")
  @JsonPropertyDescription("Degraded (CertificateExpiring) when the origin's certificate expires within this many days; 0 turns the warning off.")
  private Integer certificateWarningDays = 14;

  public String getPath() { return path; }
  public void setPath(String path) { this.path = path; }
  public Integer getIntervalSeconds() { return intervalSeconds; }
  public void setIntervalSeconds(Integer intervalSeconds) { this.intervalSeconds = intervalSeconds; }
  public Integer getTimeoutSeconds() { return timeoutSeconds; }
  public void setTimeoutSeconds(Integer timeoutSeconds) { this.timeoutSeconds = timeoutSeconds; }
  public Integer getFailureThreshold() { return failureThreshold; }
  public void setFailureThreshold(Integer failureThreshold) { this.failureThreshold = failureThreshold; }
  public Integer getSuccessThreshold() { return successThreshold; }
  public void setSuccessThreshold(Integer successThreshold) { this.successThreshold = successThreshold; }
  public String getExpectedStatus() { return expectedStatus; }
  public void setExpectedStatus(String expectedStatus) { this.expectedStatus = expectedStatus; }
  public Boolean getUpstreams() { return upstreams; }
  public void setUpstreams(Boolean upstreams) { this.upstreams = upstreams; }
  public Integer getCertificateWarningDays() { return certificateWarningDays; }
  public void setCertificateWarningDays(Integer certificateWarningDays) { this.certificateWarningDays = certificateWarningDays; }
}

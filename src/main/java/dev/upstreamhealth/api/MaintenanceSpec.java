package dev.upstreamhealth.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;

@JsonIgnoreProperties(ignoreUnknown = true)
public class MaintenanceSpec {
  @Default("false")
  @JsonPropertyDescription("Declared maintenance: the Site reports ServiceUnavailable/MaintenanceMode, which alerts do not page on.")
  private Boolean active = false;

  @Size(max = 1024)
  @JsonPropertyDescription("Shown in the status message while maintenance is active.")
  private String message = "";

  public Boolean getActive() { return active; }
  public void setActive(Boolean active) { this.active = active; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
}

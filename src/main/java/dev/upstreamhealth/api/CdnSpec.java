package dev.upstreamhealth.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

public class CdnSpec {
  @Size(max = 256)
  @JsonPropertyDescription("CIDRs the CDN connects from, checked against the NetworkPolicies of the gateway pods.")
  private List<String> sourceRanges = new ArrayList<>();

  public List<String> getSourceRanges() { return sourceRanges; }
  public void setSourceRanges(List<String> sourceRanges) { this.sourceRanges = sourceRanges; }
}

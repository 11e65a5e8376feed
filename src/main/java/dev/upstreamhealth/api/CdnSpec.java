package dev.upstreamhealth.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

@JsonIgnoreProperties(ignoreUnknown = true)
public class CdnSpec {
  @Size(max = 256)
  @JsonPropertyDescription("CIDRs the CDN connects from, checked against the NetworkPolicies of the gateway pods and an ingress-nginx allowlist-source-range on the Ingress.")
  private List<String> sourceRanges = new ArrayList<>();

  @Min(1)
  @Max(6000)
  @Default("100")
  @JsonPropertyDescription("Seconds the CDN waits for the origin's answer (Cloudflare: 100, then 524); a gateway that waits longer is TimeoutBudgetTight.")
  private Integer readTimeoutSeconds = 100;

  @Default("true")
  @JsonPropertyDescription("The CDN checks the origin's certificate (Cloudflare Full (strict)): valid now, names host, chains to a trusted root. false: any certificate passes once the handshake completes (Full).")
  private Boolean verifyOriginCertificate = true;

  public List<String> getSourceRanges() { return sourceRanges; }
  public void setSourceRanges(List<String> sourceRanges) { this.sourceRanges = sourceRanges; }
  public Integer getReadTimeoutSeconds() { return readTimeoutSeconds; }
  public void setReadTimeoutSeconds(Integer readTimeoutSeconds) { this.readTimeoutSeconds = readTimeoutSeconds; }
  public Boolean getVerifyOriginCertificate() { return verifyOriginCertificate; }
  public void setVerifyOriginCertificate(Boolean verifyOriginCertificate) { this.verifyOriginCertificate = verifyOriginCertificate; }
}

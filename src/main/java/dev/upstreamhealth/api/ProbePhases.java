package dev.upstreamhealth.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** How long each phase of one probe took, in milliseconds; a phase never reached is left out. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ProbePhases {
  @JsonPropertyDescription("Resolving the name (0 for an IP address).")
  private Long dnsMillis;
  @JsonPropertyDescription("The TCP connection.")
  private Long connectMillis;
  @JsonPropertyDescription("The TLS handshake (https only).")
  private Long tlsMillis;
  @JsonPropertyDescription("From sending the request to the first byte of the answer.")
  private Long firstByteMillis;

  public Long getDnsMillis() { return dnsMillis; }
  public void setDnsMillis(Long dnsMillis) { this.dnsMillis = dnsMillis; }
  public Long getConnectMillis() { return connectMillis; }
  public void setConnectMillis(Long connectMillis) { this.connectMillis = connectMillis; }
  public Long getTlsMillis() { return tlsMillis; }
  public void setTlsMillis(Long tlsMillis) { this.tlsMillis = tlsMillis; }
  public Long getFirstByteMillis() { return firstByteMillis; }
  public void setFirstByteMillis(Long firstByteMillis) { this.firstByteMillis = firstByteMillis; }
}

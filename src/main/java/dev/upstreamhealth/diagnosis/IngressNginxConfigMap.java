package dev.upstreamhealth.diagnosis;

import io.fabric8.kubernetes.api.model.ConfigMap;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What ingress-nginx's controller ConfigMap sets for every Ingress the controller serves, of what
 * the diagnosis reads: the global client allowlist ({@code whitelist-source-range}; the ConfigMap
 * knows no {@code allowlist-source-range}, only the annotation has that name) and the global
 * external auth service ({@code global-auth-url}). Each is blank when the ConfigMap does not set it.
 * And whether nginx demands a PROXY protocol header in front of every connection
 * ({@code use-proxy-protocol: "true"}), the operator's probes short-cut to its pods included.
 *
 * @param configMap the ConfigMap, "namespace/name"
 * @param whitelistSourceRange the value of {@code whitelist-source-range}, as written
 * @param globalAuthUrl the value of {@code global-auth-url}, as written
 * @param useProxyProtocol whether {@code use-proxy-protocol} is "true" (ingress-nginx parses it as a bool)
 * @param sslRedirectOff whether {@code ssl-redirect} is false: no Ingress redirects plain http to
 *     its TLS server unless its own annotation says so
 * @param proxyBufferSize the value of {@code proxy-buffer-size}, as written: how large an upstream's
 *     response head nginx takes, for every Ingress without its own annotation
 * @param proxyReadTimeout the value of {@code proxy-read-timeout}, as written: how many seconds nginx
 *     waits for an upstream's answer, for every Ingress without its own annotation
 */
public record IngressNginxConfigMap(String configMap, String whitelistSourceRange, String globalAuthUrl,
    boolean useProxyProtocol, boolean sslRedirectOff, String proxyBufferSize, String proxyReadTimeout) {
  public static final String WHITELIST_SOURCE_RANGE = "whitelist-source-range";
  public static final String GLOBAL_AUTH_URL = "global-auth-url";
  public static final String USE_PROXY_PROTOCOL = "use-proxy-protocol";
  public static final String SSL_REDIRECT = "ssl-redirect";
  public static final String PROXY_BUFFER_SIZE = "proxy-buffer-size";
  public static final String PROXY_READ_TIMEOUT = "proxy-read-timeout";
  /** The keys read here: a cached ConfigMap keeps these and nothing else of its data. */
  public static final Set<String> KEYS_READ = Set.of(WHITELIST_SOURCE_RANGE, GLOBAL_AUTH_URL, USE_PROXY_PROTOCOL,
      SSL_REDIRECT, PROXY_BUFFER_SIZE, PROXY_READ_TIMEOUT);

  public IngressNginxConfigMap {
    whitelistSourceRange = whitelistSourceRange == null ? "" : whitelistSourceRange.strip();
    globalAuthUrl = globalAuthUrl == null ? "" : globalAuthUrl.strip();
    proxyBufferSize = proxyBufferSize == null ? "" : proxyBufferSize.strip();
    proxyReadTimeout = proxyReadTimeout == null ? "" : proxyReadTimeout; // as written: " 30" is no number to nginx's controller
  }

  /** A ConfigMap that leaves use-proxy-protocol, ssl-redirect and the proxy settings at their defaults. */
  public IngressNginxConfigMap(String configMap, String whitelistSourceRange, String globalAuthUrl) {
    this(configMap, whitelistSourceRange, globalAuthUrl, false, false, "", "");
  }

  public static IngressNginxConfigMap of(ConfigMap configMap) {
    Map<String, String> data = configMap.getData() == null ? Map.of() : configMap.getData();
    return new IngressNginxConfigMap(ObjectKey.of(configMap), data.get(WHITELIST_SOURCE_RANGE),
        // Go's strconv.ParseBool, as ingress-nginx reads its ConfigMap's booleans
        data.get(GLOBAL_AUTH_URL), GoBool.isTrue(data.get(USE_PROXY_PROTOCOL)), GoBool.isFalse(data.get(SSL_REDIRECT)),
        data.get(PROXY_BUFFER_SIZE), data.get(PROXY_READ_TIMEOUT));
  }

  /**
   * The global auth service's URL, when ingress-nginx takes it: it ignores (with a warning in its
   * log) a value that is no URL with a scheme and a host, and then asks no one.
   */
  public Optional<String> globalAuthService() {
    if (globalAuthUrl.isEmpty()) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(globalAuthUrl);
      boolean taken = uri.getScheme() != null && uri.getRawAuthority() != null && !uri.getRawAuthority().isEmpty()
          && !uri.getRawAuthority().contains("..");
      return taken ? Optional.of(globalAuthUrl) : Optional.empty();
    } catch (URISyntaxException notAUrl) {
      return Optional.empty();
    }
  }
}

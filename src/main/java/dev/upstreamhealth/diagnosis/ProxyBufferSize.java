package dev.upstreamhealth.diagnosis;

import dev.upstreamhealth.probe.ProbeLayer;
import dev.upstreamhealth.probe.ProbeResult;
import dev.upstreamhealth.probe.ProbeTrace;
import dev.upstreamhealth.probe.TrackedProbe;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * How large a response head ingress-nginx lets nginx take from an upstream ({@code proxy_buffer_size},
 * 4k unless the Ingress's annotation or the controller's ConfigMap says otherwise). An upstream whose
 * head does not fit gets the visitor nginx's own 502 and the log line "upstream sent too big header
 * while reading response header from upstream": a session cookie or a few security headers grown
 * past 4 KiB is one of the commonest 502s behind ingress-nginx, and the upstreams' own probes, which
 * take any size, see nothing wrong.
 *
 * @param bytes the buffer's size
 * @param written the value as written ("4k", "16k")
 * @param source where it comes from, as a message names it
 */
public record ProxyBufferSize(int bytes, String written, String source) {
  static final String ANNOTATION = "nginx.ingress.kubernetes.io/proxy-buffer-size";
  private static final String DEFAULT = "4k";
  /** The step a head's size is told in, so that the message stays put while the head wavers. */
  private static final int STEP = 4096;
  /** nginx's size syntax: a number of bytes, or of KiB or MiB with k or m. */
  private static final Pattern SIZE = Pattern.compile("(\\d{1,9})([kKmM]?)");

  /**
   * The buffer nginx reads the Site's upstream answers into, where the gateway is known to be
   * ingress-nginx by its controller ConfigMap (read by the operator: {@code --ingress-nginx-configmaps}):
   * the Ingress's annotation, else the ConfigMap's key, else ingress-nginx's default. Empty for an
   * HTTPRoute, for a gateway not known to be ingress-nginx (Envoy takes some 60 KiB of headers,
   * NGINX Inc.'s controller has annotations of its own), and for a value nginx cannot read: the
   * controller's admission or nginx's reload refuses it, and which buffer runs then is not known.
   */
  public static Optional<ProxyBufferSize> of(Snapshot s) {
    Ingress ingress = s.ingress();
    IngressNginxConfigMap global = s.controllerConfig();
    if (s.viaHttpRoute() || ingress == null || global == null) {
      return Optional.empty();
    }
    String annotation = IngressNginx.annotations(ingress).get(ANNOTATION);
    if (annotation != null) {
      return parse(annotation, "annotation " + ANNOTATION + " on Ingress " + ObjectKey.of(ingress));
    }
    if (!global.proxyBufferSize().isEmpty()) {
      return parse(global.proxyBufferSize(), "ConfigMap " + global.configMap() + " " + IngressNginxConfigMap.PROXY_BUFFER_SIZE);
    }
    return parse(DEFAULT, "ingress-nginx's default");
  }

  private static Optional<ProxyBufferSize> parse(String value, String source) {
    Matcher m = SIZE.matcher(value.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    long bytes = Long.parseLong(m.group(1)) * switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "k" -> 1024L;
      case "m" -> 1024L * 1024;
      default -> 1L;
    };
    return bytes > 0 && bytes <= Integer.MAX_VALUE
        ? Optional.of(new ProxyBufferSize((int) bytes, value.strip(), source)) : Optional.empty();
  }

  /**
   * For the origin's 502 that is not an upstream's own: the upstreams whose response head outgrows
   * the buffer, as "; upstream endpoints of Service web/shop answer with a response head of up to 8 KiB ...",
   * or "" when it cannot be told.
   */
  static String tooBigHeadNote(Snapshot s, ProbeResult origin) {
    if (origin.trace().answeredBy() == ProbeTrace.AnswerSource.UPSTREAM) {
      return ""; // an upstream's own 502, passed on: it got through the buffer
    }
    Optional<ProxyBufferSize> buffer = of(s);
    if (buffer.isEmpty()) {
      return "";
    }
    List<TrackedProbe> upstreams = s.probes().layer(ProbeLayer.UPSTREAM);
    List<ProbeResult> tooBig = upstreams.stream().map(TrackedProbe::last)
        .filter(r -> r != null && r.responded() && r.trace().headBytes() > buffer.get().bytes()).toList();
    // Each upstream probe asks its Service for the probe's path, whichever Service the Ingress sends
    // that path to: only a head too big from every backend Service (one whose probes got no answer
    // included) is surely the one nginx read. A backend with no probe (an ExternalName Service, one
    // with no ready endpoint or no port the route names) may be the one nginx reached instead.
    List<String> services = Stream.concat(s.backends().stream().map(b -> b.ref().serviceKey()),
        upstreams.stream().map(p -> p.target().service())).distinct().sorted().toList();
    boolean everyService = services.stream()
        .allMatch(service -> tooBig.stream().anyMatch(r -> r.target().service().equals(service)));
    if (tooBig.isEmpty() || !everyService) {
      return "";
    }
    // In steps of 4 KiB, rounded up, and no count of endpoints: a head a few bytes longer at the
    // next look (a cookie's value) or one pod more or less over the line must not make a status
    // write of its own.
    int upToKib = tooBig.stream().mapToInt(r -> (r.trace().headBytes() + STEP - 1) / STEP * (STEP / 1024)).max()
        .orElseThrow();
    return String.format(Locale.ROOT, "; upstream endpoints of Service %s answer with a response head of up to %d KiB,"
            + " over the %s (%,d bytes) proxy-buffer-size nginx reads it into (%s): nginx answers that with its own"
            + " 502, \"upstream sent too big header\"; raise %s on Ingress %s, or send smaller headers (cookies,"
            + " security headers)", String.join(", ", services), upToKib,
        buffer.get().written(), buffer.get().bytes(), buffer.get().source(), ANNOTATION, ObjectKey.of(s.ingress()));
  }
}

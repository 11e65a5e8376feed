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
record ProxyBufferSize(int bytes, String written, String source) {
  static final String ANNOTATION = "nginx.ingress.kubernetes.io/proxy-buffer-size";
  private static final String DEFAULT = "4k";
  /** nginx's size syntax: a number of bytes, or of KiB or MiB with k or m. */
  private static final Pattern SIZE = Pattern.compile("(\\d{1,9})([kKmM]?)");

  /**
   * The buffer nginx reads the Site's upstream answers into: the Ingress's annotation, else the
   * controller ConfigMap's key, else ingress-nginx's default; a value nginx cannot read is passed
   * over, as ingress-nginx's validation or nginx's reload would refuse it. Empty for an HTTPRoute:
   * Gateway API implementations size their buffers otherwise.
   */
  static Optional<ProxyBufferSize> of(Snapshot s) {
    Ingress ingress = s.ingress();
    if (s.viaHttpRoute() || ingress == null) {
      return Optional.empty();
    }
    String annotation = IngressNginx.annotations(ingress).getOrDefault(ANNOTATION, "");
    Optional<ProxyBufferSize> own = parse(annotation, "annotation " + ANNOTATION + " on Ingress " + ObjectKey.of(ingress));
    if (own.isPresent()) {
      return own;
    }
    IngressNginxConfigMap global = s.controllerConfig();
    if (global != null) {
      Optional<ProxyBufferSize> set = parse(global.proxyBufferSize(),
          "ConfigMap " + global.configMap() + " " + IngressNginxConfigMap.PROXY_BUFFER_SIZE);
      if (set.isPresent()) {
        return set;
      }
    }
    return parse(DEFAULT, "ingress-nginx's default" + (global == null
        ? "; its controller's ConfigMap, unread by the operator (--ingress-nginx-configmaps), may set another" : ""));
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
   * the buffer, as "; 1/2 probed endpoints answer with a response head of up to 5,312 bytes ...", or
   * "" when none does (or no probe read one).
   */
  static String tooBigHeadNote(Snapshot s, ProbeResult origin) {
    if (origin.trace().answeredBy() == ProbeTrace.AnswerSource.UPSTREAM) {
      return ""; // an upstream's own 502, passed on: it got through the buffer
    }
    Optional<ProxyBufferSize> buffer = of(s);
    if (buffer.isEmpty()) {
      return "";
    }
    List<ProbeResult> heads = s.probes().layer(ProbeLayer.UPSTREAM).stream().map(TrackedProbe::last)
        .filter(r -> r != null && r.responded() && r.trace().headBytes() > 0).toList();
    List<ProbeResult> tooBig = heads.stream().filter(r -> r.trace().headBytes() > buffer.get().bytes()).toList();
    // Each upstream probe asks its Service for the probe's path, whichever Service the Ingress sends
    // that path to: only a head too big from every Service probed is surely the one nginx read.
    boolean everyService = heads.stream().map(r -> r.target().service()).distinct()
        .allMatch(service -> tooBig.stream().anyMatch(r -> r.target().service().equals(service)));
    if (tooBig.isEmpty() || !everyService) {
      return "";
    }
    ProbeResult largest = tooBig.stream().max((a, b) -> Integer.compare(a.trace().headBytes(), b.trace().headBytes()))
        .orElseThrow();
    return String.format(Locale.ROOT, "; %d/%d probed endpoints answer with a response head of up to %,d bytes (%s:%d),"
        + " over the %s (%,d bytes) proxy-buffer-size nginx reads it into (%s): nginx answers that with its own 502,"
        + " \"upstream sent too big header\"; raise %s on Ingress %s, or send smaller headers (cookies, security"
        + " headers)", tooBig.size(), heads.size(), largest.trace().headBytes(), largest.target().address(),
        largest.target().port(), buffer.get().written(), buffer.get().bytes(), buffer.get().source(), ANNOTATION,
        ObjectKey.of(s.ingress()));
  }
}

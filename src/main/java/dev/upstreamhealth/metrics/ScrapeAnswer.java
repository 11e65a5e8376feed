package dev.upstreamhealth.metrics;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * The answer to a scrape of {@code /metrics}, written into the response as the registry writes
 * it: chunked, and gzipped when the request's {@code Accept-Encoding} takes gzip (Prometheus's
 * does). At 10,000 Sites the text is about 10 MB; held as a String and its bytes, each scrape
 * would cost several copies of it on a heap mostly taken by live data.
 */
final class ScrapeAnswer {
  private ScrapeAnswer() {}

  /**
   * Answers the scrape in the format {@code contentType}; a HEAD only with the headers.
   *
   * @throws CutShort when the scrape failed: the exchange must then be left unclosed, so the
   *     server drops the connection and the scraper sees a failed scrape, not a shorter one whose
   *     missing series it would take as gone
   */
  static void send(HttpExchange exchange, PrometheusMeterRegistry registry, String contentType) throws IOException {
    boolean gzip = acceptsGzip(exchange.getRequestHeaders().get("Accept-Encoding"));
    Headers headers = exchange.getResponseHeaders();
    headers.set("Content-Type", contentType);
    headers.set("Vary", "Accept-Encoding");
    if (gzip) {
      headers.set("Content-Encoding", "gzip");
    }
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(200, -1);
      return;
    }
    // 0: chunked, the length unknown until the last series is written.
    exchange.sendResponseHeaders(200, 0);
    try {
      OutputStream body = gzip ? new GZIPOutputStream(exchange.getResponseBody(), 8192) : exchange.getResponseBody();
      registry.scrape(body, contentType);
      body.close();
    } catch (IOException | RuntimeException e) {
      throw new CutShort(e);
    }
  }

  /** Whether gzip is acceptable: named, or covered by {@code *}, with a quality above 0. */
  static boolean acceptsGzip(List<String> acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    double gzip = -1;
    double any = -1;
    for (String header : acceptEncoding) {
      for (String coding : header.split(",")) {
        String[] parts = coding.split(";");
        String name = parts[0].strip().toLowerCase(Locale.ROOT);
        if (name.equals("gzip") || name.equals("x-gzip")) {
          gzip = Math.max(gzip, quality(parts));
        } else if (name.equals("*")) {
          any = Math.max(any, quality(parts));
        }
      }
    }
    return (gzip >= 0 ? gzip : any) > 0;
  }

  /** The {@code q} parameter of one coding; one that cannot be read refuses it, as plain text always works. */
  private static double quality(String[] parts) {
    for (int i = 1; i < parts.length; i++) {
      String parameter = parts[i].strip();
      if (parameter.startsWith("q=") || parameter.startsWith("Q=")) {
        try {
          double q = Double.parseDouble(parameter.substring(2).strip());
          return q >= 0 && q <= 1 ? q : 0;
        } catch (NumberFormatException e) {
          return 0;
        }
      }
    }
    return 1;
  }

  /** The scrape failed after its answer's headers were sent. */
  static final class CutShort extends IOException {
    CutShort(Exception cause) {
      super("the scrape failed after its answer began", cause);
    }
  }
}

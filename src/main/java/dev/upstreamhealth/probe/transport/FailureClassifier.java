package dev.upstreamhealth.probe.transport;

import dev.upstreamhealth.probe.NameLookups;
import dev.upstreamhealth.probe.ProbeOutcome;
import dev.upstreamhealth.probe.ProbeTarget;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * Maps what went wrong in a probe (an exception, and how far the probe had got) to the outcome the
 * diagnosis reasons about. Pure, so every mapping can be tested without a network.
 */
final class FailureClassifier {
  private FailureClassifier() {}

  static ProbeFailure classify(Throwable failure, ProbePhase phase, ProbeTarget target) {
    String where = endpoint(target);
    Throwable cause = failure;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ExplainedCertificateException) {
        return new ProbeFailure(ProbeOutcome.CERTIFICATE_INVALID, t.getMessage());
      }
      cause = t;
    }
    if (has(failure, SslHandshakeTimeoutException.class)) {
      return tlsTimedOut(target.timeout());
    }
    if (has(failure, ConnectTimeoutException.class)
        || (phase == ProbePhase.CONNECTING && has(failure, SocketTimeoutException.class))) {
      return connectTimedOut(target);
    }
    UnknownHostException unknown = find(failure, UnknownHostException.class);
    if (unknown != null) {
      return NameLookups.saysNoSuchName(unknown) ? doesNotResolve(target)
          : lookupFailed(target, withoutName(unknown.getMessage(), target.address()));
    }
    if (has(failure, UnresolvedAddressException.class)) {
      return lookupFailed(target, "the address was never looked up");
    }
    String message = messages(failure).toLowerCase(Locale.ROOT);
    if (has(failure, NoRouteToHostException.class) || message.contains("no route to host")
        || message.contains("network is unreachable") || message.contains("host is down")) {
      return new ProbeFailure(ProbeOutcome.UNREACHABLE, "no route to " + where);
    }
    if (message.contains("connection refused")) {
      return new ProbeFailure(ProbeOutcome.CONNECTION_REFUSED, "connection refused by " + where);
    }
    if (has(failure, SSLException.class)) {
      return new ProbeFailure(ProbeOutcome.TLS_FAILED, tlsDetail(failure, message));
    }
    if (has(failure, ConnectException.class)) {
      // the kernel gave up on the SYN before our own timer did
      if (message.contains("timed out")) {
        return connectTimedOut(target);
      }
      return new ProbeFailure(ProbeOutcome.UNREACHABLE, "cannot connect to " + where + ": " + cause.getMessage());
    }
    if (has(failure, TooLongFrameException.class) || has(failure, DecoderException.class)) {
      return new ProbeFailure(ProbeOutcome.MALFORMED_RESPONSE, "not a valid HTTP response: " + cause.getMessage());
    }
    if (phase == ProbePhase.HANDSHAKING) {
      return closedDuringHandshake();
    }
    if (has(failure, ClosedChannelException.class) || message.contains("reset") || message.contains("broken pipe")) {
      return new ProbeFailure(ProbeOutcome.CONNECTION_CLOSED,
          (message.contains("reset") ? "connection reset by " : "connection closed by ") + where
              + " before a response head");
    }
    return switch (phase) {
      case RESOLVING -> lookupFailed(target, String.valueOf(cause));
      case CONNECTING -> new ProbeFailure(ProbeOutcome.UNREACHABLE, "cannot connect to " + where + ": " + cause);
      case HANDSHAKING -> closedDuringHandshake();
      case AWAITING_HEAD -> new ProbeFailure(ProbeOutcome.CONNECTION_CLOSED, "connection to " + where + " failed: " + cause);
    };
  }

  /**
   * Whether the server's alert refuses a client without a certificate: certificate_required (TLS
   * 1.3), bad_certificate or handshake_failure, in the JDK's words or BoringSSL's.
   */
  static boolean refusesWithoutACertificate(Throwable failure) {
    if (failure == null) {
      return false;
    }
    String message = messages(failure).toLowerCase(Locale.ROOT);
    return message.contains("certificate_required") || message.contains("bad_certificate")
        || message.contains("handshake_failure");
  }

  /**
   * Whether the server ended the handshake for want of a cipher suite in common: its
   * handshake_failure or insufficient_security alert (the JDK's words and BoringSSL's).
   */
  static boolean noCommonCipherSuite(Throwable failure) {
    if (failure == null) {
      return false;
    }
    String message = messages(failure).toLowerCase(Locale.ROOT);
    return message.contains("handshake_failure") || message.contains("insufficient_security")
        || message.contains("no_shared_cipher") || message.contains("no shared cipher");
  }

  /**
   * The server speaks only a protocol version the JDK's TLS will not offer (TLS 1.0 and 1.1 are
   * off in the JVM's security policy) while the CDN does: nothing is said of the origin.
   */
  static boolean protocolVersionTheJdkWillNotOffer(Throwable failure) {
    String message = messages(failure).toLowerCase(Locale.ROOT);
    return message.contains("protocol_version") || message.contains("no appropriate protocol")
        || message.contains("not accepted by client preferences");
  }

  static ProbeFailure protocolVersionNotJudged() {
    return new ProbeFailure(ProbeOutcome.TLS_NOT_JUDGED, "not judged: the server speaks only TLS 1.0 or 1.1, which"
        + " the CDN offers and the JDK's TLS the probes run on will not (BoringSSL, the image's, does)");
  }

  /** What the overall deadline means, given how far the probe got. */
  static ProbeFailure deadlinePassed(ProbePhase phase, ProbeTarget target, long bytesReceived) {
    return switch (phase) {
      // A resolver that is slow or down (the cluster's DNS) is no answer about the name.
      case RESOLVING -> lookupFailed(target, "no answer within " + human(target.timeout()));
      case CONNECTING -> connectTimedOut(target);
      // Decided: a handshake that stalls after the TCP connect is a TLS failure (what a CDN reports
      // as 525), not a response timeout: no HTTP was ever exchanged.
      case HANDSHAKING -> tlsTimedOut(target.timeout());
      case AWAITING_HEAD -> new ProbeFailure(ProbeOutcome.RESPONSE_TIMEOUT,
          "no complete response head within " + human(target.timeout())
              + (bytesReceived > 0 ? " (" + bytesReceived + " bytes of it received)" : ""));
    };
  }

  /** The peer closed the connection without an error, before a complete head. */
  static ProbeFailure closedEarly(ProbePhase phase, ProbeTarget target, long bytesReceived) {
    if (phase == ProbePhase.HANDSHAKING) {
      return closedDuringHandshake();
    }
    if (bytesReceived > 0) {
      // Bytes came, but never a complete head: what arrived was not a usable HTTP response.
      return new ProbeFailure(ProbeOutcome.MALFORMED_RESPONSE,
          "connection closed after " + bytesReceived + " bytes, before the response head was complete");
    }
    return new ProbeFailure(ProbeOutcome.CONNECTION_CLOSED,
        "connection closed by " + endpoint(target) + " before any response");
  }

  static String human(Duration d) {
    long millis = d.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }

  /** The resolver answered that the name does not exist. */
  static ProbeFailure doesNotResolve(ProbeTarget target) {
    return new ProbeFailure(ProbeOutcome.UNREACHABLE, "name " + target.address() + " does not resolve");
  }

  /** No answer about the name: no evidence about the target either ({@link ProbeOutcome#isEvidence}). */
  static ProbeFailure lookupFailed(ProbeTarget target, String why) {
    return new ProbeFailure(ProbeOutcome.NAME_LOOKUP_FAILED, "looking up " + target.address() + " failed: " + why);
  }

  /**
   * The resolver's words without the name the JDK puts before them ("lb.example: Temporary failure
   * in name resolution"); the JDK's cache of a failed lookup gives the name alone.
   */
  private static String withoutName(String message, String name) {
    if (message == null || message.isBlank() || message.equals(name)) {
      return "no reason given";
    }
    return message.startsWith(name + ": ") ? message.substring(name.length() + 2) : message;
  }

  private static ProbeFailure connectTimedOut(ProbeTarget target) {
    return new ProbeFailure(ProbeOutcome.CONNECT_TIMEOUT,
        "no TCP connection to " + endpoint(target) + " within " + human(target.timeout()));
  }

  private static ProbeFailure tlsTimedOut(Duration timeout) {
    return new ProbeFailure(ProbeOutcome.TLS_FAILED, "TLS handshake timed out after " + human(timeout));
  }

  private static ProbeFailure closedDuringHandshake() {
    return new ProbeFailure(ProbeOutcome.TLS_FAILED, "handshake failed: connection closed during the TLS handshake");
  }

  private static String tlsDetail(Throwable failure, String lowerMessage) {
    int alert = lowerMessage.indexOf("received fatal alert: ");
    if (alert >= 0) {
      String rest = lowerMessage.substring(alert + "received fatal alert: ".length());
      int end = rest.indexOf(' ');
      return "handshake failed: " + (end < 0 ? rest : rest.substring(0, end)).replace(";", "");
    }
    if (lowerMessage.contains("unsupported or unrecognized ssl message") || lowerMessage.contains("not an ssl/tls record")) {
      return "handshake failed: the server does not speak TLS";
    }
    if (lowerMessage.contains("engine closed") || lowerMessage.contains("closed")) {
      return closedDuringHandshake().detail();
    }
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return "handshake failed: " + root.getMessage();
  }

  private static String endpoint(ProbeTarget target) {
    String address = target.address().indexOf(':') >= 0 ? "[" + target.address() + "]" : target.address();
    return address + ":" + target.port();
  }

  private static boolean has(Throwable failure, Class<? extends Throwable> type) {
    return find(failure, type) != null;
  }

  private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  private static String messages(Throwable failure) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = failure; t != null && all.length() < 2000; t = t.getCause()) {
      all.append(t.getMessage()).append(" | ");
      if (t.getCause() == t) {
        break;
      }
    }
    return all.toString();
  }
}

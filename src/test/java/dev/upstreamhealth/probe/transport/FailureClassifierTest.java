package dev.upstreamhealth.probe.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.probe.ProbeLayer;
import dev.upstreamhealth.probe.ProbeOutcome;
import dev.upstreamhealth.probe.ProbeTarget;
import dev.upstreamhealth.probe.Scheme;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** The mappings a loopback server cannot stage honestly, checked on the exceptions themselves. */
class FailureClassifierTest {
  private static final ProbeTarget TARGET = new ProbeTarget(
      ProbeLayer.ORIGIN, "203.0.113.7", 443, Scheme.HTTPS, "shop.example.com", "/", Duration.ofSeconds(5), "");

  @Test
  void nettyConnectTimeoutIsConnectTimeout() {
    ProbeFailure failure = classify(new ConnectTimeoutException("connection timed out after 5000 ms"), ProbePhase.CONNECTING);

    assertThat(failure).isEqualTo(new ProbeFailure(ProbeOutcome.CONNECT_TIMEOUT,
        "no TCP connection to 203.0.113.7:443 within 5s"));
  }

  @Test
  void kernelGivingUpOnTheSynIsConnectTimeout() {
    assertThat(classify(new ConnectException("Connection timed out"), ProbePhase.CONNECTING).outcome())
        .isEqualTo(ProbeOutcome.CONNECT_TIMEOUT);
  }

  @Test
  void deadlineWhileConnectingIsConnectTimeout() {
    assertThat(FailureClassifier.deadlinePassed(ProbePhase.CONNECTING, TARGET, 0).outcome())
        .isEqualTo(ProbeOutcome.CONNECT_TIMEOUT);
  }

  @Test
  void noRouteIsUnreachable() {
    assertThat(classify(new NoRouteToHostException("No route to host"), ProbePhase.CONNECTING))
        .isEqualTo(new ProbeFailure(ProbeOutcome.UNREACHABLE, "no route to 203.0.113.7:443"));
    assertThat(classify(new SocketException("Network is unreachable"), ProbePhase.CONNECTING).outcome())
        .isEqualTo(ProbeOutcome.UNREACHABLE);
    assertThat(classify(new UnknownHostException("origin.example"), ProbePhase.RESOLVING).outcome())
        .isEqualTo(ProbeOutcome.UNREACHABLE);
  }

  @Test
  void refusalIsConnectionRefused() {
    assertThat(classify(new ConnectException("Connection refused: /203.0.113.7:443"), ProbePhase.CONNECTING).outcome())
        .isEqualTo(ProbeOutcome.CONNECTION_REFUSED);
  }

  @Test
  void tlsAlertIsNamed() {
    ProbeFailure failure =
        classify(new SSLHandshakeException("Received fatal alert: protocol_version"), ProbePhase.HANDSHAKING);

    assertThat(failure).isEqualTo(new ProbeFailure(ProbeOutcome.TLS_FAILED, "handshake failed: protocol_version"));
  }

  @Test
  void nettyHandshakeTimeoutIsTlsFailure() {
    assertThat(classify(new SslHandshakeTimeoutException("handshake timed out after 5000ms"), ProbePhase.HANDSHAKING))
        .isEqualTo(new ProbeFailure(ProbeOutcome.TLS_FAILED, "TLS handshake timed out after 5s"));
  }

  @Test
  void resetBeforeTheHeadIsConnectionClosed() {
    assertThat(classify(new IOException("Connection reset by peer"), ProbePhase.AWAITING_HEAD))
        .isEqualTo(new ProbeFailure(ProbeOutcome.CONNECTION_CLOSED,
            "connection reset by 203.0.113.7:443 before a response head"));
  }

  @Test
  void closeAfterPartOfAHeadIsMalformed() {
    assertThat(FailureClassifier.closedEarly(ProbePhase.AWAITING_HEAD, TARGET, 17).outcome())
        .isEqualTo(ProbeOutcome.MALFORMED_RESPONSE);
    assertThat(FailureClassifier.closedEarly(ProbePhase.AWAITING_HEAD, TARGET, 0).outcome())
        .isEqualTo(ProbeOutcome.CONNECTION_CLOSED);
  }

  private static ProbeFailure classify(Throwable failure, ProbePhase phase) {
    return FailureClassifier.classify(failure, phase, TARGET);
  }
}

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
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The mappings a loopback server cannot stage honestly, checked on the exceptions themselves. */
class FailureClassifierTest {
  private static final ProbeTarget TARGET = new ProbeTarget(
      ProbeLayer.ORIGIN, "203.0.113.7", 443, Scheme.HTTPS, "shop.example.com", "/", Duration.ofSeconds(5), "");
  /** An origin named, as an AWS load balancer's is: the cluster's DNS looks it up. */
  private static final ProbeTarget NAMED = new ProbeTarget(
      ProbeLayer.ORIGIN, "lb.shop.example", 443, Scheme.HTTPS, "shop.example.com", "/", Duration.ofSeconds(5), "");

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
  }

  @ParameterizedTest
  @ValueSource(strings = {"Name or service not known", "No address associated with hostname", "Name does not resolve"})
  void theResolversAnswerThatTheNameDoesNotExistIsUnreachable(String words) {
    UnknownHostException noSuchName = new UnknownHostException(NAMED.address() + ": " + words);

    assertThat(FailureClassifier.classify(new CompletionException(noSuchName), ProbePhase.RESOLVING, NAMED))
        .isEqualTo(new ProbeFailure(ProbeOutcome.UNREACHABLE, "name lb.shop.example does not resolve"));
  }

  /** The cluster's DNS down or slow is no answer about the name: the CDN asks public DNS. */
  @Test
  void aResolverThatFailsIsNoEvidence() {
    UnknownHostException down = new UnknownHostException(NAMED.address() + ": Temporary failure in name resolution");

    assertThat(FailureClassifier.classify(new CompletionException(down), ProbePhase.RESOLVING, NAMED))
        .isEqualTo(new ProbeFailure(ProbeOutcome.NAME_LOOKUP_FAILED,
            "looking up lb.shop.example failed: Temporary failure in name resolution"));
    UnknownHostException servfail = new UnknownHostException(NAMED.address() + ": Non-recoverable failure in name resolution");
    assertThat(FailureClassifier.classify(servfail, ProbePhase.RESOLVING, NAMED).outcome())
        .isEqualTo(ProbeOutcome.NAME_LOOKUP_FAILED);
  }

  @Test
  void theJdksCachedFailureGivesNoReasonAndIsNoEvidence() {
    assertThat(FailureClassifier.classify(new UnknownHostException(NAMED.address()), ProbePhase.RESOLVING, NAMED))
        .isEqualTo(new ProbeFailure(ProbeOutcome.NAME_LOOKUP_FAILED, "looking up lb.shop.example failed: no reason given"));
  }

  @Test
  void deadlineWhileLookingUpIsNoEvidence() {
    assertThat(FailureClassifier.deadlinePassed(ProbePhase.RESOLVING, NAMED, 0))
        .isEqualTo(new ProbeFailure(ProbeOutcome.NAME_LOOKUP_FAILED, "looking up lb.shop.example failed: no answer within 5s"));
  }

  @Test
  void anyOtherFailureBeforeTheNameIsLookedUpIsNoEvidence() {
    assertThat(FailureClassifier.classify(new IllegalStateException("boom"), ProbePhase.RESOLVING, NAMED).outcome())
        .isEqualTo(ProbeOutcome.NAME_LOOKUP_FAILED);
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

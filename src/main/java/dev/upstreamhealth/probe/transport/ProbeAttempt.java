package dev.upstreamhealth.probe.transport;

import dev.upstreamhealth.probe.ProbeOutcome;
import dev.upstreamhealth.probe.ProbeResult;
import dev.upstreamhealth.probe.ProbeTarget;
import dev.upstreamhealth.probe.ProbeTrace;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;

/**
 * One probe in progress. Whatever happens first (the head, an error, the close, the deadline)
 * completes it, exactly once; everything later is ignored. It also notes when each phase ended,
 * for the timings shown in status.
 */
final class ProbeAttempt {
  private final ProbeTarget target;
  private final long startNanos = System.nanoTime();
  private final CompletableFuture<ProbeResult> result = new CompletableFuture<>();
  private final AtomicBoolean finished = new AtomicBoolean();
  private final Consumer<ProbeAttempt> onFinished;
  private volatile ProbePhase phase = ProbePhase.RESOLVING;
  private volatile Channel channel;
  private volatile Future<?> deadline;
  private volatile long bytesReceived;
  private volatile long resolvedAt;
  private volatile long connectedAt;
  private volatile long handshakenAt;
  private volatile long requestSentAt;
  private volatile long firstByteAt;
  private volatile String remoteAddress = "";
  private volatile int headBytes;
  private volatile ProbeTrace.PresentedCertificate certificate;
  /** A head whose writer matters ({@link GatewayErrorPage#isJudged}) waiting for enough of its body to tell. */
  private volatile HeldAnswer heldAnswer;
  private volatile SSLEngine tlsEngine;
  private volatile ClientCertificateRequests certificateRequests;
  /** Whether the server ended the connection with an alert that refuses a client without a certificate. */
  private volatile boolean certificateAlert;
  /** Whether a held 400 is nginx's own "No required SSL certificate was sent" page. */
  private volatile boolean certificatePage;
  /** Set when a handshake that found no common suite is tried once more ({@link NettyProber}). */
  private volatile Throwable firstHandshakeFailure;

  private record HeldAnswer(int statusCode, boolean retryAfter) {}

  ProbeAttempt(ProbeTarget target, Consumer<ProbeAttempt> onFinished) {
    this.target = target;
    this.onFinished = onFinished;
  }

  ProbeTarget target() {
    return target;
  }

  CompletableFuture<ProbeResult> result() {
    return result;
  }

  boolean isFinished() {
    return finished.get();
  }

  ProbePhase phase() {
    return phase;
  }

  /** Moves to the next phase; the time the previous one ended is kept for the trace. */
  void enter(ProbePhase next) {
    long now = System.nanoTime();
    switch (next) {
      case CONNECTING -> {
        if (resolvedAt == 0) {
          resolvedAt = now; // a name's next address is still connecting: the trace times them all
        }
      }
      case HANDSHAKING -> connectedAt = now;
      case AWAITING_HEAD -> {
        if (connectedAt == 0) {
          connectedAt = now;
        } else if (phase == ProbePhase.HANDSHAKING) {
          handshakenAt = now;
        }
        requestSentAt = now;
      }
      default -> { }
    }
    phase = next;
  }

  /** The engine of this probe's handshake, and where it notes a server's request for a client certificate. */
  void handshakesWith(SSLEngine engine, ClientCertificateRequests requests) {
    tlsEngine = engine;
    certificateRequests = requests;
  }

  void firstHandshakeFailed(Throwable cause) {
    firstHandshakeFailure = cause;
  }

  void connectedTo(String address) {
    remoteAddress = address;
  }

  void presented(ProbeTrace.PresentedCertificate presented) {
    certificate = presented;
  }

  long bytesReceived() {
    return bytesReceived;
  }

  /** Called on the channel's event loop only. */
  void received(int bytes) {
    if (bytesReceived == 0 && bytes > 0) {
      firstByteAt = System.nanoTime();
    }
    bytesReceived += bytes;
  }

  /** How long until the target's timeout has passed since this attempt began; never negative. */
  long nanosToDeadline() {
    return Math.max(0, target.timeout().toNanos() - (System.nanoTime() - startNanos));
  }

  void deadline(Future<?> timer) {
    deadline = timer;
    if (finished.get()) {
      timer.cancel(false);
    }
  }

  /** Ties the connection to this attempt; if the attempt already ended, the connection goes too. */
  void attach(Channel ch) {
    channel = ch;
    if (finished.get()) {
      ch.close();
    }
  }

  /** The size of the response head that arrived, for the trace. */
  void headRead(int bytes) {
    headBytes = bytes;
  }

  void responded(int statusCode, boolean retryAfter) {
    finish(ProbeOutcome.RESPONDED, statusCode, retryAfter, "", ProbeTrace.AnswerSource.NOT_APPLICABLE);
  }

  /** A redirect to this very address over https: see {@link ProbeOutcome#REDIRECT_LOOP}. */
  void redirectsBackToItself(int statusCode, String location) {
    finish(ProbeOutcome.REDIRECT_LOOP, statusCode, false, location, ProbeTrace.AnswerSource.NOT_APPLICABLE);
  }

  /** A head whose writer matters arrived; its body is read a little further to tell who wrote it. */
  void holdAnswer(int statusCode, boolean retryAfter) {
    heldAnswer = new HeldAnswer(statusCode, retryAfter);
  }

  /**
   * Whether the server asked for a client certificate in this probe's handshake: a 400 it answers
   * is then read to its page, to tell nginx's refusal of a client without one from the app's own.
   */
  boolean askedForClientCertificate() {
    ClientCertificateRequests requests = certificateRequests;
    return requests != null && requests.askedIn(tlsEngine);
  }

  /** A held 400's body turned out to be nginx's page for a client that sent no certificate. */
  void certificatePage() {
    certificatePage = true;
  }

  boolean holdsAnswer() {
    return heldAnswer != null;
  }

  /** Ends a held answer with what its body showed. */
  void answerWrittenBy(ProbeTrace.AnswerSource source) {
    HeldAnswer held = heldAnswer;
    if (held != null) {
      finish(ProbeOutcome.RESPONDED, held.statusCode(), held.retryAfter(), "", source);
    }
  }

  void connected() {
    if (connectedAt == 0) {
      connectedAt = System.nanoTime();
    }
    finish(ProbeOutcome.CONNECTED, 0, false, "TCP connection accepted; " + target.connectOnly(),
        ProbeTrace.AnswerSource.NOT_APPLICABLE);
  }

  void failed(ProbeFailure failure) {
    if (retryFailedBeforeItsHandshake()) {
      return;
    }
    finish(failure.outcome(), 0, false, failure.detail(), ProbeTrace.AnswerSource.NOT_APPLICABLE);
  }

  void failed(Throwable cause) {
    certificateAlert = FailureClassifier.refusesWithoutACertificate(cause);
    if (heldAnswer != null) {
      answerWrittenBy(ProbeTrace.AnswerSource.UPSTREAM); // the head was complete: the body is a detail
      return;
    }
    if (phase == ProbePhase.HANDSHAKING && NettyProber.TLS_PROVIDER == SslProvider.JDK
        && FailureClassifier.protocolVersionTheJdkWillNotOffer(cause)) {
      failed(FailureClassifier.protocolVersionNotJudged());
      return;
    }
    failed(FailureClassifier.classify(cause, phase, target));
  }

  void deadlinePassed() {
    if (heldAnswer != null) {
      answerWrittenBy(ProbeTrace.AnswerSource.UPSTREAM);
      return;
    }
    failed(FailureClassifier.deadlinePassed(phase, target, bytesReceived));
  }

  void closedEarly() {
    if (heldAnswer != null) {
      answerWrittenBy(ProbeTrace.AnswerSource.UPSTREAM);
      return;
    }
    failed(FailureClassifier.closedEarly(phase, target, bytesReceived));
  }

  /**
   * The second try, with only the suites BoringSSL lacks, ended before a handshake completed: its
   * own failure (refused, reset, timed out, or the handshake failing too) says nothing the first
   * try's did not, which ends the probe as a handshake failure, not a 522 or a refusal.
   */
  private boolean retryFailedBeforeItsHandshake() {
    Throwable first = firstHandshakeFailure;
    if (first == null || phase == ProbePhase.AWAITING_HEAD) {
      return false;
    }
    ProbeFailure failure = FailureClassifier.classify(first, ProbePhase.HANDSHAKING, target);
    finish(failure.outcome(), 0, false, failure.detail(), ProbeTrace.AnswerSource.NOT_APPLICABLE);
    return true;
  }

  private void finish(ProbeOutcome outcome, int statusCode, boolean retryAfter, String detail,
      ProbeTrace.AnswerSource answeredBy) {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    long end = System.nanoTime();
    Duration latency = Duration.ofNanos(end - startNanos);
    Future<?> timer = deadline;
    if (timer != null) {
      timer.cancel(false);
    }
    Channel ch = channel;
    if (ch != null) {
      forgetTlsSession(ch);
      ch.close(); // the body is not needed, and Connection: close was asked for anyway
    }
    ClientCertificateRequests requests = certificateRequests;
    if (requests != null && requests.forget(tlsEngine)
        && refusedForWantOfCertificate(outcome, statusCode, certificateAlert, certificatePage)) {
      detail = "the server asks for a client certificate, which the probe has none of, and refuses it without one ("
          + (outcome == ProbeOutcome.RESPONDED ? "HTTP " + statusCode : detail)
          + "); the CDN presents its own (Cloudflare: Authenticated Origin Pulls)";
      outcome = ProbeOutcome.CLIENT_CERTIFICATE_REQUIRED;
    }
    onFinished.accept(this);
    ProbeTrace trace = new ProbeTrace(
        between(startNanos, resolvedAt),
        between(resolvedAt, connectedAt),
        between(connectedAt, handshakenAt),
        between(requestSentAt, firstByteAt),
        remoteAddress, certificate, answeredBy, headBytes);
    result.complete(new ProbeResult(target, outcome, statusCode, retryAfter, latency, detail, Instant.now(), trace));
  }

  /**
   * How servers that asked for a client certificate turn a client without one away: an alert that
   * says so (certificate_required, bad_certificate, handshake_failure; in TLS 1.3 it comes after
   * the client's side of the handshake, as the probe awaits the head), or nginx's own 400 page "No
   * required SSL certificate was sent". A server that asks only optionally (nginx
   * {@code ssl_verify_client optional}, Istio's OPTIONAL_MUTUAL) asks on every handshake and
   * serves without one: any other failure or 400 of its is read as ever.
   */
  private static boolean refusedForWantOfCertificate(ProbeOutcome outcome, int statusCode, boolean certificateAlert,
      boolean certificatePage) {
    return switch (outcome) {
      case TLS_FAILED, CONNECTION_CLOSED -> certificateAlert;
      case RESPONDED -> statusCode == 400 && certificatePage;
      default -> false;
    };
  }

  /**
   * The JDK's TLS keeps each session to resume the next connection to the same host and port,
   * which would skip the certificate. Invalidating it also invalidates the sessions made from the
   * tickets a TLS 1.3 server sent on it, so the next probe makes a full handshake and judges the
   * certificate anew. (BoringSSL's cache is off altogether; see NettyProber.)
   */
  private static void forgetTlsSession(Channel ch) {
    SslHandler tls = ch.pipeline().get(SslHandler.class);
    if (tls != null) {
      tls.engine().getSession().invalidate();
    }
  }

  private static Duration between(long from, long to) {
    return from == 0 || to == 0 ? null : Duration.ofNanos(Math.max(0, to - from));
  }
}

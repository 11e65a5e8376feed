package dev.upstreamhealth.probe.transport;

import dev.upstreamhealth.probe.ProbeLayer;
import dev.upstreamhealth.probe.ProbeOutcome;
import dev.upstreamhealth.probe.ProbeTrace;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * Takes the decoded response head, or the reason there is none, and ends the attempt with it.
 * For an answer whose writer matters (a 502, 503 or 504, a 403, a 401 or a redirect:
 * {@link GatewayErrorPage#isJudged}) it reads the start of the body too, to tell the gateway's own
 * page from an upstream's answer; for a redirect, its {@code Location}, to tell a loop ({@link RedirectLoop}).
 */
final class ResponseHeadReader extends ChannelInboundHandlerAdapter {
  private final ProbeAttempt attempt;
  private final int maxInitialLine;
  private final int maxHeaderSize;
  private final StringBuilder body = new StringBuilder();
  private String server;
  private boolean heldForItsWriter;

  ResponseHeadReader(ProbeAttempt attempt, int maxInitialLine, int maxHeaderSize) {
    this.attempt = attempt;
    this.maxInitialLine = maxInitialLine;
    this.maxHeaderSize = maxHeaderSize;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof HttpResponse response) {
        head(response);
      }
      if (msg instanceof HttpContent content && attempt.holdsAnswer()) {
        int room = GatewayErrorPage.BODY_PREVIEW - body.length();
        int take = Math.min(room, content.content().readableBytes());
        body.append(content.content().toString(content.content().readerIndex(), take, StandardCharsets.ISO_8859_1));
        if (content instanceof LastHttpContent || body.length() >= GatewayErrorPage.BODY_PREVIEW) {
          answered();
        }
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void head(HttpResponse response) {
    DecoderResult decoded = response.decoderResult();
    if (decoded.isFailure()) {
      attempt.failed(new ProbeFailure(ProbeOutcome.MALFORMED_RESPONSE, explain(decoded.cause())));
      return;
    }
    int status = response.status().code();
    if (isInterim(status)) {
      return; // 100 Continue, 103 Early Hints: the real head follows
    }
    attempt.headRead(headBytes(response));
    // Only a redirect's Location is read: an ordinary answer costs nothing more.
    if (RedirectLoop.possible(attempt.target(), status)) {
      String location = response.headers().get(HttpHeaderNames.LOCATION);
      if (RedirectLoop.backToItself(attempt.target(), location)) {
        attempt.redirectsBackToItself(status, location);
        return;
      }
    }
    boolean retryAfter = response.headers().contains(HttpHeaderNames.RETRY_AFTER);
    // An upstream probe goes straight to a pod: whatever wrote its answer (the app's own nginx
    // in front of php-fpm, say), no gateway did.
    heldForItsWriter = GatewayErrorPage.isJudged(status) && attempt.target().layer() != ProbeLayer.UPSTREAM;
    if (heldForItsWriter || (status == 400 && attempt.askedForClientCertificate())) {
      server = response.headers().get(HttpHeaderNames.SERVER);
      attempt.holdAnswer(status, retryAfter);
    } else {
      attempt.responded(status, retryAfter);
    }
  }

  private void answered() {
    if (GatewayErrorPage.refusesWithoutACertificate(body)) {
      attempt.certificatePage();
    }
    // a 400 read only for its page says nothing of who wrote it, as any other 400
    attempt.answerWrittenBy(heldForItsWriter ? GatewayErrorPage.writtenBy(server, body.toString())
        : ProbeTrace.AnswerSource.NOT_APPLICABLE);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (attempt.holdsAnswer()) {
      answered();
    }
    attempt.closedEarly(); // a no-op once the head was read
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    attempt.failed(cause);
  }

  /**
   * The head's size as it came over the wire, give or take the optional spaces around each header
   * value the decoder trims: the status line, each header line, and the blank line that ends them
   * (the decoder reads ISO-8859-1, one char a byte).
   */
  static int headBytes(HttpResponse response) {
    int bytes = response.protocolVersion().text().length() + 5 + response.status().reasonPhrase().length() + 2;
    for (Iterator<Map.Entry<CharSequence, CharSequence>> it = response.headers().iteratorCharSequence(); it.hasNext(); ) {
      Map.Entry<CharSequence, CharSequence> header = it.next();
      bytes += header.getKey().length() + 2 + header.getValue().length() + 2;
    }
    return bytes + 2;
  }

  private static boolean isInterim(int status) {
    return status >= 100 && status < 200 && status != 101;
  }

  private String explain(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return "status line longer than " + maxInitialLine + " bytes";
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return "response headers larger than " + maxHeaderSize / 1024 + " KiB";
    }
    if (cause instanceof TooLongFrameException) {
      return "response head too large: " + cause.getMessage();
    }
    return "not a valid HTTP response: " + cause.getMessage();
  }
}

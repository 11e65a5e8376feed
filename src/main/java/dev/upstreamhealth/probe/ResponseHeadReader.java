package dev.upstreamhealth.probe;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;

/** Takes the decoded response head, or the reason there is none, and ends the attempt with it. */
final class ResponseHeadReader extends ChannelInboundHandlerAdapter {
  private final ProbeAttempt attempt;
  private final int maxInitialLine;
  private final int maxHeaderSize;

  ResponseHeadReader(ProbeAttempt attempt, int maxInitialLine, int maxHeaderSize) {
    this.attempt = attempt;
    this.maxInitialLine = maxInitialLine;
    this.maxHeaderSize = maxHeaderSize;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof HttpResponse response) {
        DecoderResult decoded = response.decoderResult();
        if (decoded.isFailure()) {
          attempt.failed(new ProbeFailure(ProbeOutcome.MALFORMED_RESPONSE, explain(decoded.cause())));
        } else if (isInterim(response.status().code())) {
          return; // 100 Continue, 103 Early Hints: the real head follows
        } else {
          attempt.responded(response.status().code(), response.headers().contains(HttpHeaderNames.RETRY_AFTER));
        }
      }
    } finally {
      ReferenceCountUtil.release(msg); // body content, if any arrives before the close, is dropped
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    attempt.closedEarly(); // a no-op once the head was read
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    attempt.failed(cause);
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

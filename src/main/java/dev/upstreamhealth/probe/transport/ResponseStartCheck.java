package dev.upstreamhealth.probe.transport;

import dev.upstreamhealth.probe.ProbeOutcome;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * Counts the bytes that arrive and insists they start with {@code HTTP/}. Netty's decoder silently
 * skips lines it cannot split into a status line, so without this a server that answers junk would
 * look like one that answers nothing (a timeout instead of a malformed response).
 */
final class ResponseStartCheck extends ChannelInboundHandlerAdapter {
  private static final byte[] EXPECTED = {'H', 'T', 'T', 'P', '/'};
  private static final int PREVIEW = 40;

  private final ProbeAttempt attempt;
  private int matched;

  ResponseStartCheck(ProbeAttempt attempt) {
    this.attempt = attempt;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf bytes)) {
      ctx.fireChannelRead(msg);
      return;
    }
    attempt.received(bytes.readableBytes());
    for (int i = bytes.readerIndex(); i < bytes.writerIndex() && matched < EXPECTED.length; i++) {
      byte b = bytes.getByte(i);
      if (matched == 0 && (b == '\r' || b == '\n' || b == ' ' || b == '\t')) {
        continue; // the decoder tolerates leading blank lines; so do we
      }
      if (b != EXPECTED[matched]) {
        attempt.failed(new ProbeFailure(ProbeOutcome.MALFORMED_RESPONSE,
            "response does not start with HTTP/: \"" + preview(bytes) + "\""));
        ReferenceCountUtil.release(msg);
        return;
      }
      matched++;
    }
    if (matched == EXPECTED.length) {
      ctx.pipeline().remove(this);
    }
    ctx.fireChannelRead(msg);
  }

  private static String preview(ByteBuf bytes) {
    StringBuilder text = new StringBuilder();
    int end = Math.min(bytes.writerIndex(), bytes.readerIndex() + PREVIEW);
    for (int i = bytes.readerIndex(); i < end; i++) {
      int b = bytes.getByte(i) & 0xff;
      if (b >= 0x20 && b < 0x7f && b != '"' && b != '\\') {
        text.append((char) b);
      } else {
        text.append(String.format("\\x%02x", b));
      }
    }
    return bytes.readableBytes() > PREVIEW ? text + "..." : text.toString();
  }
}

package dev.upstreamhealth.bench.api;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The events one watch request has yet to receive, as newline-delimited JSON frames. */
final class WatchStream {
  private final String namespace;
  private final Predicate<StoredObject> selected;
  private final String apiVersion;
  private final String kind;
  private final BlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();

  WatchStream(String namespace, Predicate<StoredObject> selected, String apiVersion, String kind) {
    this.namespace = namespace;
    this.selected = selected;
    this.apiVersion = apiVersion;
    this.kind = kind;
  }

  void offer(ResourceTable.Event e) {
    StoredObject o = e.object();
    if ((namespace == null || namespace.equals(o.namespace())) && selected.test(o)) {
      frames.add(frame(e.type(), o.json()));
    }
  }

  void offerBookmark(long resourceVersion) {
    String object = "{\"kind\":\"" + kind + "\",\"apiVersion\":\"" + apiVersion
        + "\",\"metadata\":{\"resourceVersion\":\"" + resourceVersion + "\"}}";
    frames.add(frame("BOOKMARK", object.getBytes(StandardCharsets.UTF_8)));
  }

  /** The next frame, or null when none came within the wait. */
  byte[] next(long waitMillis) throws InterruptedException {
    return frames.poll(waitMillis, TimeUnit.MILLISECONDS);
  }

  byte[] poll() {
    return frames.poll();
  }

  static byte[] frame(String type, byte[] object) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(object.length + 32);
    out.writeBytes(("{\"type\":\"" + type + "\",\"object\":").getBytes(StandardCharsets.UTF_8));
    out.writeBytes(object);
    out.writeBytes("}\n".getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }
}

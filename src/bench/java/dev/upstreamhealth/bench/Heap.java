package dev.upstreamhealth.bench;

import java.lang.management.ManagementFactory;

/** Retained heap: used heap after full collections, so garbage does not count. */
final class Heap {
  private Heap() {
  }

  static long retainedBytes() {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  static String mib(long bytes) {
    return String.format("%.0f MiB", bytes / 1024.0 / 1024.0);
  }
}

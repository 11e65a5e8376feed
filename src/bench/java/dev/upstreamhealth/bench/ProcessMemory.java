package dev.upstreamhealth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a process holds in memory, heap and all (metaspace, code cache, thread stacks, direct and
 * native buffers): {@code VmRSS} now and {@code VmHWM}, its peak, from {@code /proc/PID/status}.
 * A container's memory limit is against this, not against the heap.
 */
record ProcessMemory(long residentBytes, long peakResidentBytes) {
  static ProcessMemory of(long pid) {
    try {
      long rss = 0;
      long peak = 0;
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = kib(line);
        } else if (line.startsWith("VmHWM:")) {
          peak = kib(line);
        }
      }
      return new ProcessMemory(rss, peak);
    } catch (IOException | RuntimeException e) {
      return new ProcessMemory(0, 0);
    }
  }

  private static long kib(String line) {
    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
  }

  String describe() {
    return residentBytes == 0 ? "(not read)" : String.format("%.1f MiB (peak %.1f MiB)",
        ClassHistogram.mib(residentBytes), ClassHistogram.mib(peakResidentBytes));
  }
}

package dev.upstreamhealth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a process holds in memory, heap and all (metaspace, code cache, thread stacks, direct and
 * native buffers), from {@code /proc/PID/status}: {@code VmRSS} now, {@code VmHWM} its peak, and
 * {@code RssAnon}, the part no file backs. A container's memory limit is against the process, not
 * the heap, and the kernel can reclaim file-backed pages (the JDK's libraries, mapped jars) under
 * it but not anonymous ones: those are what end in the container being killed.
 */
record ProcessMemory(long residentBytes, long peakResidentBytes, long anonymousBytes) {
  static ProcessMemory of(long pid) {
    try {
      long rss = 0;
      long peak = 0;
      long anon = 0;
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = kib(line);
        } else if (line.startsWith("VmHWM:")) {
          peak = kib(line);
        } else if (line.startsWith("RssAnon:")) {
          anon = kib(line);
        }
      }
      return new ProcessMemory(rss, peak, anon);
    } catch (IOException | RuntimeException e) {
      return new ProcessMemory(0, 0, 0);
    }
  }

  private static long kib(String line) {
    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
  }

  String describe() {
    return residentBytes == 0 ? "(not read)" : String.format("%.1f MiB, %.1f MiB anonymous (peak %.1f MiB)",
        ClassHistogram.mib(residentBytes), ClassHistogram.mib(anonymousBytes), ClassHistogram.mib(peakResidentBytes));
  }
}

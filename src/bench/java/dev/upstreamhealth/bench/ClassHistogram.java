package dev.upstreamhealth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code jcmd PID GC.class_histogram}: it runs a full GC first, so its total is the heap the
 * process retains; the classes are where it goes.
 */
record ClassHistogram(long totalBytes, long totalInstances, Map<String, Long> bytesByClass) {

  /** Takes the histogram and keeps jcmd's whole answer in {@code saveTo}, for the classes past the top few. */
  static ClassHistogram of(long pid, Path saveTo) throws IOException, InterruptedException {
    String jcmd = ImageJava.bin("jcmd");
    Process p = new ProcessBuilder(jcmd, Long.toString(pid), "GC.class_histogram").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    Files.writeString(saveTo, out);
    Map<String, Long> byClass = new LinkedHashMap<>();
    long total = -1;
    long instances = -1;
    for (String line : out.split("\n")) {
      String[] f = line.strip().split("\\s+");
      if (f.length >= 4 && f[0].endsWith(":")) {
        byClass.put(f[3], Long.parseLong(f[2]));
      } else if (f.length == 3 && f[0].equals("Total")) {
        instances = Long.parseLong(f[1]);
        total = Long.parseLong(f[2]);
      }
    }
    if (total < 0) {
      throw new IOException("jcmd gave no histogram: " + out.lines().limit(5).toList());
    }
    return new ClassHistogram(total, instances, byClass);
  }

  /** The {@code n} classes retaining the most, as "class size". */
  List<String> top(int n) {
    List<String> out = new ArrayList<>();
    bytesByClass.entrySet().stream().limit(n)
        .forEach(e -> out.add(String.format("%s %.1f MiB", e.getKey(), e.getValue() / 1048576.0)));
    return out;
  }

  static double mib(long bytes) {
    return bytes / 1048576.0;
  }
}

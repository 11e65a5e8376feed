package dev.upstreamhealth.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Classes are named by import, not spelled out in the code: a reader sees in the import lines
 * what a file depends on. A fully qualified name is left only where its simple name is already
 * imported from elsewhere (java.util.logging.Logger beside Logback's Logger).
 */
class ImportsTest {
  private static final Path MAIN = Path.of("src", "main", "java");
  private static final Pattern QUALIFIED =
      Pattern.compile("(?<![\\w.])((?:java|javax|io\\.fabric8|io\\.netty|dev\\.upstreamhealth)(?:\\.[a-z0-9_]+)+)\\.([A-Z]\\w*)");
  private static final Pattern IMPORT = Pattern.compile("^import ([\\w.]+)\\.(\\w+);");

  @Test
  void codeNamesClassesByImport() throws IOException {
    List<String> inline = new ArrayList<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      files.filter(f -> f.toString().endsWith(".java")).forEach(f -> inline.addAll(inlineNames(f)));
    }
    assertThat(inline).isEmpty();
  }

  private static List<String> inlineNames(Path file) {
    List<String> lines = read(file);
    Map<String, String> imported = new HashMap<>();
    lines.stream().map(IMPORT::matcher).filter(Matcher::find).forEach(m -> imported.put(m.group(2), m.group(1)));
    List<String> found = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String code = codeOf(lines.get(i));
      Matcher m = QUALIFIED.matcher(code);
      while (m.find()) {
        String other = imported.get(m.group(2));
        if (other == null || other.equals(m.group(1))) {
          found.add(MAIN.relativize(file) + ":" + (i + 1) + " " + m.group());
        }
      }
    }
    return found;
  }

  /** The line without import/package statements, comments and string literals. */
  private static String codeOf(String line) {
    String trimmed = line.strip();
    if (trimmed.startsWith("import ") || trimmed.startsWith("package ") || trimmed.startsWith("*")
        || trimmed.startsWith("/*") || trimmed.startsWith("//")) {
      return "";
    }
    String noStrings = line.replaceAll("\"(?:\\\\.|[^\"\\\\])*\"", "\"\"");
    int comment = noStrings.indexOf("//");
    return comment < 0 ? noStrings : noStrings.substring(0, comment);
  }

  private static List<String> read(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

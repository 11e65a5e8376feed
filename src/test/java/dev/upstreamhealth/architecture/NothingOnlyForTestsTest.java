package dev.upstreamhealth.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every class in src/main is there for the operator, not for its tests: starting at the command
 * line's {@code Main}, each class is named in the code (not only in comments) of one already
 * reached. A class that only tests or the bench use belongs in src/test.
 */
class NothingOnlyForTestsTest {
  private static final Path MAIN = Path.of("src", "main", "java");
  private static final Pattern COMMENT_LINE = Pattern.compile("(?m)^\\s*(//|import ).*$");
  private static final Pattern COMMENT_BLOCK = Pattern.compile("(?ms)^\\s*/\\*.*?\\*/");

  @Test
  void everyClassIsReachedFromTheCommandLine() {
    Map<String, String> code = sources();
    assertThat(code).as("the sources are found").containsKey("Main");

    Set<String> reached = new HashSet<>(Set.of("Main"));
    Deque<String> next = new ArrayDeque<>(reached);
    while (!next.isEmpty()) {
      String body = code.get(next.pop());
      for (String name : code.keySet()) {
        if (!reached.contains(name) && Pattern.compile("\\b" + name + "\\b").matcher(body).find()) {
          reached.add(name);
          next.push(name);
        }
      }
    }

    Set<String> unreached = new TreeSet<>(code.keySet());
    unreached.removeAll(reached);
    assertThat(unreached).as("classes nothing in src/main uses").isEmpty();
  }

  /** Each top-level class's simple name, with its code without comments and imports. */
  private static Map<String, String> sources() {
    try (Stream<Path> files = Files.walk(MAIN)) {
      return files.filter(f -> f.toString().endsWith(".java")).collect(Collectors.toMap(
          f -> f.getFileName().toString().replace(".java", ""), Function.identity()))
          .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> code(e.getValue())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String code(Path file) {
    try {
      String text = COMMENT_BLOCK.matcher(Files.readString(file)).replaceAll("");
      return COMMENT_LINE.matcher(text).replaceAll("");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

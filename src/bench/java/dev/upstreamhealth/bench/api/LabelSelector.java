package dev.upstreamhealth.bench.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Label selectors as the API server reads them from {@code ?labelSelector=}: {@code a=b},
 * {@code a==b}, {@code a!=b}, {@code a}, {@code !a}, {@code a in (x,y)}, {@code a notin (x,y)}.
 */
final class LabelSelector {
  private LabelSelector() {
  }

  static Predicate<Map<String, String>> parse(String selector) {
    if (selector == null || selector.isBlank()) {
      return labels -> true;
    }
    List<Predicate<Map<String, String>>> all = new ArrayList<>();
    for (String term : splitTerms(selector)) {
      all.add(term(term.strip()));
    }
    return labels -> {
      Map<String, String> l = labels == null ? Map.of() : labels;
      return all.stream().allMatch(t -> t.test(l));
    };
  }

  /** Commas separate terms, except inside the parentheses of a set. */
  private static List<String> splitTerms(String selector) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    StringBuilder current = new StringBuilder();
    for (char c : selector.toCharArray()) {
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      }
      if (c == ',' && depth == 0) {
        out.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    out.add(current.toString());
    return out;
  }

  private static Predicate<Map<String, String>> term(String t) {
    java.util.regex.Matcher set = java.util.regex.Pattern.compile("^(\\S+)\\s+(in|notin)\\s*\\((.*)\\)$").matcher(t);
    if (set.matches()) {
      String key = set.group(1);
      Set<String> values = Set.of(set.group(3).split("\\s*,\\s*"));
      boolean in = set.group(2).equals("in");
      return l -> in ? l.containsKey(key) && values.contains(l.get(key)) : !values.contains(l.get(key));
    }
    if (t.contains("!=")) {
      String[] kv = t.split("!=", 2);
      return l -> !kv[1].strip().equals(l.get(kv[0].strip()));
    }
    if (t.contains("=")) {
      String[] kv = t.split("==?", 2);
      return l -> kv[1].strip().equals(l.get(kv[0].strip()));
    }
    if (t.startsWith("!")) {
      String key = t.substring(1).strip();
      return l -> !l.containsKey(key);
    }
    return l -> l.containsKey(t);
  }
}

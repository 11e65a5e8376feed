package dev.upstreamhealth.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A docker-archive image (what {@code docker save} writes and {@code docker load} reads) unpacked as a
 * container runtime would: its layers in order into one root filesystem, and its config.
 */
record DockerArchive(Path root, List<String> repoTags, List<String> entrypoint, List<String> cmd, String user,
    Map<String, String> env, String workingDir) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static DockerArchive unpack(Path tar, Path into) throws IOException, InterruptedException {
    Path archive = into.resolve("archive");
    Path root = into.resolve("root");
    Files.createDirectories(archive);
    Files.createDirectories(root);
    tar("-xf", tar.toString(), "-C", archive.toString());
    JsonNode manifest = JSON.readTree(archive.resolve("manifest.json").toFile()).get(0);
    for (JsonNode layer : manifest.get("Layers")) {
      // As root, tar keeps each file's owner and mode from the layer; the image has no whiteouts (scratch).
      tar("-xpf", archive.resolve(layer.asText()).toString(), "-C", root.toString());
    }
    JsonNode config = JSON.readTree(archive.resolve(manifest.get("Config").asText()).toFile()).get("config");
    Map<String, String> env = new LinkedHashMap<>();
    config.path("Env").forEach(e -> env.put(e.asText().substring(0, e.asText().indexOf('=')),
        e.asText().substring(e.asText().indexOf('=') + 1)));
    return new DockerArchive(root, strings(manifest.get("RepoTags")), strings(config.get("Entrypoint")),
        strings(config.get("Cmd")), config.path("User").asText(), env, config.path("WorkingDir").asText());
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    if (array != null) {
      array.forEach(v -> values.add(v.asText()));
    }
    return values;
  }

  private static void tar(String... args) throws IOException, InterruptedException {
    // The base layer was packed by libarchive, whose timestamp keywords GNU tar would name once per file.
    List<String> command = new ArrayList<>(List.of("tar", "--warning=no-unknown-keyword"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).inheritIO().start();
    if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new IOException("tar " + String.join(" ", args) + " failed");
    }
  }
}

package dev.upstreamhealth.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.helm.RenderedChart;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image of {@code mvn -Pimage package}, unpacked into a directory and run as a container runtime
 * runs it: its own entrypoint, environment and user, chrooted, with /proc and /dev mounted.
 */
class ImageIT {
  private static final Path TAR = Path.of(System.getProperty("image.tar", "target/upstream-health-operator-image.tar"));
  private static final long MAX_IMAGE_BYTES = 120L * 1024 * 1024;

  @TempDir
  static Path work;
  static DockerArchive image;

  @BeforeAll
  static void unpack() throws Exception {
    image = DockerArchive.unpack(TAR, work);
  }

  @Test
  void theEntrypointRunsTheDemoAsTheNonRootUserAndEverySiteSettles() throws Exception {
    assertThat(image.user()).isEqualTo("65532:65532");
    List<String> command = new ArrayList<>(image.entrypoint());
    command.addAll(List.of("demo", "--once"));

    Run run = runInImage(command);

    assertThat(run.exit()).as(run.output()).isZero();
    assertThat(run.output()).contains("demo-crashloop/api", "UpstreamCrashLooping", "Warning ConnectionRefused",
        "OK: every Site shows the fault and reason it should.");
    // The image's JVM flags were the ones in force, and no shell was needed.
    assertThat(run.output()).contains("Picked up JAVA_TOOL_OPTIONS: " + image.env().get("JAVA_TOOL_OPTIONS"));
    // Nothing from the JVM itself: Java 25 warns of Netty's Unsafe and JNI use unless the runtime allows them.
    assertThat(run.output()).doesNotContainPattern("(?m)^WARNING: ");
    assertThat(image.entrypoint().get(0)).startsWith("/opt/java/bin/");
  }

  @Test
  void theDefaultCommandRunsTheOperator() {
    assertThat(image.cmd()).containsExactly("operator");
    assertThat(image.entrypoint()).containsSubsequence("-cp", "@/app/jib-classpath-file", "dev.upstreamhealth.cli.Main");
  }

  @Test
  void theImageHasNoShellAndNothingSetuid() throws IOException {
    assertThat(image.root().resolve("bin/sh")).doesNotExist();
    assertThat(image.root().resolve("usr/bin/sh")).doesNotExist();
    try (Stream<Path> files = Files.walk(image.root())) {
      assertThat(files.filter(f -> Files.isRegularFile(f) && !Files.isSymbolicLink(f)).filter(ImageIT::setuid))
          .isEmpty();
    }
  }

  @Test
  void theJavaRuntimeTrustsTheDebianCaCertificates() throws Exception {
    Run run = runInImage(List.of("/opt/java/bin/keytool", "-list", "-cacerts", "-storepass", "changeit"));

    assertThat(run.exit()).as(run.output()).isZero();
    assertThat(run.output()).containsPattern("Your keystore contains 1[0-9]{2} entries");
    String bundle = Files.readString(image.root().resolve("etc/ssl/certs/ca-certificates.crt"));
    assertThat(bundle.split("BEGIN CERTIFICATE", -1).length - 1).isGreaterThanOrEqualTo(100);
  }

  @Test
  void everyDebianPackageIsListedWithItsVersion() throws IOException {
    List<String> lines = Files.readAllLines(image.root().resolve("usr/share/upstream-health-operator/packages.txt"));
    int runtimeHeading = lines.indexOf("# The Java runtime in /opt/java is jlinked from this JDK:");
    assertThat(runtimeHeading).isPositive();
    List<String> debian = lines.subList(0, runtimeHeading).stream().filter(l -> !l.startsWith("#")).toList();

    assertThat(debian).anySatisfy(l -> assertThat(l).matches("libc6 2\\.\\S+ amd64"));
    assertThat(debian).anySatisfy(l -> assertThat(l).matches("ca-certificates \\S+ all"));
    // The last line names the JDK the runtime came from, at the runtime's version.
    String version = release(image.root().resolve("opt/java")).getProperty("JAVA_VERSION").replace("\"", "");
    assertThat(lines.get(runtimeHeading + 1)).matches("\\S+ " + Pattern.quote(version) + "\\S* amd64");
    // Each Debian package also has the record scanners read, with the same version.
    for (String line : debian) {
      String[] fields = line.split(" ");
      String status = Files.readString(image.root().resolve("var/lib/dpkg/status.d/" + fields[0]));
      assertThat(status).contains("Package: " + fields[0], "Version: " + fields[1]);
    }
  }

  @Test
  void theChartRunsThisImageWithTheSameJvmFlags() {
    Container operator = RenderedChart.render(Map.of()).one(Deployment.class)
        .getSpec().getTemplate().getSpec().getContainers().get(0);

    assertThat(image.repoTags()).containsExactly(operator.getImage());
    assertThat(operator.getEnv()).extracting(EnvVar::getName, EnvVar::getValue)
        .contains(org.assertj.core.groups.Tuple.tuple("JAVA_TOOL_OPTIONS", image.env().get("JAVA_TOOL_OPTIONS")));
    assertThat(image.env().get("JAVA_TOOL_OPTIONS")).contains("-XX:MaxRAMPercentage=50");
  }

  /**
   * A container under 1792Mi makes the JVM a "client-class machine" and its default collector the
   * serial one, whose old generation is capped at two thirds of the heap: too little for 10,000
   * Sites' caches. NeverActAsServerClassMachine stands in for the small container here, where
   * no memory limit can be set; the image's flags must still choose G1.
   */
  @Test
  void theImagesFlagsChooseG1EvenWhereTheJvmWouldPickTheSerialCollector() throws Exception {
    Run run = runInImage(List.of("/opt/java/bin/java", "-XX:+NeverActAsServerClassMachine", "-XX:+PrintFlagsFinal",
        "-version"));

    assertThat(run.exit()).as(run.output()).isZero();
    assertThat(run.output()).containsPattern("bool UseG1GC\\s+= true").containsPattern("bool UseSerialGC\\s+= false");
  }

  /**
   * The runtime is linked from the pom's image.jdk (Java 25) where the build machine has it, with
   * the flags of src/image/java25.options baked in; elsewhere from the build's own JDK, without them.
   */
  @Test
  void theRuntimeComesFromTheImageJdkWithItsFlags() throws Exception {
    Path wanted = Path.of(System.getProperty("image.jdk", ""));
    Path jdk = Files.isExecutable(wanted.resolve("bin/jlink")) ? wanted : Path.of(System.getProperty("java.home"));
    Properties expected = release(jdk);
    assertThat(release(image.root().resolve("opt/java")).getProperty("JAVA_VERSION"))
        .isEqualTo(expected.getProperty("JAVA_VERSION"));

    Run run = runInImage(List.of("/opt/java/bin/java", "-XX:+PrintFlagsFinal", "-version"));

    assertThat(run.exit()).as(run.output()).isZero();
    if (Integer.parseInt(expected.getProperty("JAVA_VERSION").replace("\"", "").split("[.+-]")[0]) >= 25) {
      assertThat(run.output()).containsPattern("bool UseCompactObjectHeaders\\s+= true\\s+\\{[^}]*\\} \\{jimage\\}");
    } else {
      assertThat(run.output()).doesNotContain("UseCompactObjectHeaders");
    }
  }

  private static Properties release(Path javaHome) throws IOException {
    Properties release = new Properties();
    try (var in = Files.newBufferedReader(javaHome.resolve("release"))) {
      release.load(in);
    }
    return release;
  }

  @Test
  void theImageStaysSmall() throws IOException {
    assertThat(Files.size(TAR)).isLessThanOrEqualTo(MAX_IMAGE_BYTES);
  }

  private static boolean setuid(Path file) {
    try {
      Object mode = Files.getAttribute(file, "unix:mode");
      return (((Integer) mode) & 06000) != 0;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  record Run(int exit, String output) {}

  /**
   * What a runtime gives a container: a private mount namespace with /proc, /dev, /etc/hosts and
   * /etc/resolv.conf, the image's environment only, the image's user. Host programs by absolute path.
   */
  private static Run runInImage(List<String> command) throws IOException, InterruptedException {
    Path root = image.root();
    for (String dir : List.of("proc", "dev")) {
      Files.createDirectories(root.resolve(dir));
    }
    for (String file : List.of("etc/hosts", "etc/resolv.conf")) {
      if (!Files.exists(root.resolve(file))) {
        Files.createFile(root.resolve(file));
      }
    }
    String mounts = "/bin/mount -t proc proc \"$0/proc\" && /bin/mount --rbind /dev \"$0/dev\""
        + " && /bin/mount --bind /etc/hosts \"$0/etc/hosts\" && /bin/mount --bind /etc/resolv.conf \"$0/etc/resolv.conf\""
        + " && exec /usr/sbin/chroot --userspec=" + image.user() + " \"$0\" \"$@\"";
    List<String> argv = new ArrayList<>(List.of("/usr/bin/unshare", "--mount", "--propagation", "private",
        "/bin/sh", "-c", mounts, root.toString()));
    argv.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(image.env());
    Path log = work.resolve("run-" + System.nanoTime() + ".log");
    Process process = builder.redirectOutput(log.toFile()).start();
    if (!process.waitFor(3, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("still running after 3 minutes:\n" + Files.readString(log));
    }
    return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

}

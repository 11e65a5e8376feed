#!/usr/bin/env bash
# The image's root filesystem, built from what this machine has, with no container registry:
# a jlinked Java runtime holding only the modules the jar needs (jdeps), the C libraries that
# runtime links and CA certificates, taken from Debian's packages (apt-get download + dpkg-deb -x,
# the way distroless images are made). Jib puts this directory under the application on scratch.
#
# usage: build-root.sh JAR ROOT [JDK]
# JDK is the JDK the runtime is linked from (the pom's image.jdk); where it is missing, the JDK
# running the build. Writes ROOT and ROOT/usr/share/upstream-health-operator/packages.txt (name,
# version, arch of every package in the image), which it also prints for the build log.
set -euo pipefail
jar=$1
root=$2
wanted_jdk=${3:-}
work="$root.work"
rm -rf "$root" "$work"
mkdir -p "$root" "$work/debs"

build_jdk=$(dirname "$(dirname "$(readlink -f "$(command -v jlink)")")")
if [ -n "$wanted_jdk" ] && [ -x "$wanted_jdk/bin/jlink" ]; then
  java_home=$wanted_jdk
else
  java_home=$build_jdk
  [ -z "$wanted_jdk" ] || echo "[image] WARNING: no JDK at $wanted_jdk: the runtime is linked from the build's, $build_jdk"
fi
java_version=$(. "$java_home/release" && echo "$JAVA_VERSION")
java_feature=${java_version%%.*}

# jdeps sees static references only: the EC and DNS providers are loaded as services.
modules="$("$java_home/bin/jdeps" --ignore-missing-deps --multi-release 17 --print-module-deps "$jar"),jdk.crypto.ec,jdk.naming.dns"
# java.desktop is needed for java.beans only; its native graphics and sound libraries never load
# in a headless operator and would pull X11, fonts and ALSA into the image.
link=(--add-modules "$modules" --strip-debug --no-header-files --no-man-pages
  --exclude-files="$(printf '**/lib%s.so,' awt awt_headless awt_xawt jawt fontmanager lcms javajpeg mlib_image splashscreen jsound)")
if [ "$java_feature" -ge 21 ]; then link+=(--compress=zip-6); else link+=(--compress=2); fi
options=""
if [ "$java_feature" -ge 25 ]; then
  options=$(grep -v '^[[:space:]]*#' "$(dirname "$0")/java25.options" | grep -v '^[[:space:]]*$' | paste -sd' ')
  link+=(--add-options="$options")
fi
"$java_home/bin/jlink" "${link[@]}" --output "$root/opt/java"
echo "[image] runtime: Java $java_version from $java_home; modules: $modules"
echo "[image] runtime flags: ${options:-none}"

# The Debian packages that own the libraries the runtime links (libc6 brings the loader).
libraries=$(find "$root/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) -exec ldd {} + 2>/dev/null \
  | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | grep -v "^$root" | sort -u)
packages=$(for lib in $libraries; do dpkg -S "$(readlink -f "$lib")" 2>/dev/null || dpkg -S "$lib"; done \
  | cut -d: -f1 | sort -u)
packages="base-files ca-certificates $packages"

(
  cd "$work/debs"
  # apt needs its package lists; a fresh machine may not have read them yet.
  apt-get download -q $packages >/dev/null 2>&1 || { apt-get update -qq && apt-get download -q $packages >/dev/null; }
)

sbom="$root/usr/share/upstream-health-operator/packages.txt"
mkdir -p "$(dirname "$sbom")" "$root/var/lib/dpkg/status.d"
# The JDK the runtime comes from: its Debian package, or its own release file elsewhere.
jmods=$(dpkg -S "$java_home/jmods/java.base.jmod" 2>/dev/null | cut -d: -f1 || true)
{
  echo "# Debian packages in this image: name version architecture"
  for deb in "$work"/debs/*.deb; do
    name=$(dpkg-deb -f "$deb" Package)
    echo "$name $(dpkg-deb -f "$deb" Version) $(dpkg-deb -f "$deb" Architecture)"
    dpkg-deb -x "$deb" "$root"
    # The record image scanners read, as in distroless images.
    { dpkg-deb -f "$deb"; echo "Status: install ok installed"; } > "$root/var/lib/dpkg/status.d/$name"
  done
  echo "# The Java runtime in /opt/java is jlinked from this JDK:"
  if [ -n "$jmods" ]; then
    echo "$jmods $(dpkg-query -W -f='${Version} ${Architecture}' "$jmods")"
  else
    # A JDK from outside Debian (Temurin's): its own release file names it, e.g. "temurin 25.0.3+9-LTS amd64".
    (. "$java_home/release"
      name=$(echo "${IMPLEMENTOR_VERSION:-${IMPLEMENTOR:-jdk}}" | sed 's/-.*//' | tr 'A-Z ' 'a-z-')
      echo "$name ${JAVA_RUNTIME_VERSION:-$JAVA_VERSION} $(dpkg --print-architecture)")
  fi
} > "$sbom"
sed 's/^/[image] /' "$sbom"

# What a package's maintainer scripts would have done, without a shell in the image.
cat "$root"/usr/share/ca-certificates/mozilla/*.crt > "$work/ca-certificates.crt"
mkdir -p "$root/etc/ssl/certs"
cp "$work/ca-certificates.crt" "$root/etc/ssl/certs/ca-certificates.crt"
"$java_home/bin/java" "$(dirname "$0")/TrustStore.java" "$work/ca-certificates.crt" "$root/opt/java/lib/security/cacerts"

# Only what runs: no docs, manuals, locales, scripts or charset converters.
rm -rf "$root"/usr/share/{doc,man,info,lintian,locale,common-licenses,base-files} \
  "$root"/usr/sbin "$root"/usr/lib/x86_64-linux-gnu/gconv "$root"/etc/profile* "$root"/etc/skel \
  "$root"/etc/update-motd.d "$root"/etc/ca-certificates* "$root"/usr/share/ca-certificates

# The user the operator runs as (numeric, 65532, as in distroless "nonroot") and name lookup.
printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > "$root/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' > "$root/etc/group"
printf 'hosts: files dns\n' > "$root/etc/nsswitch.conf"
mkdir -p "$root/tmp" "$root/home/nonroot"
rm -rf "$work"
echo "[image] root filesystem: $(du -sh "$root" | cut -f1)"

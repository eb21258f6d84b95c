# Sourced by .ci/docker-postgres and .ci/docker-image: a Docker engine from Debian's packages (no
# image registry is reachable from this kind of machine), stopped again when the sourcing script
# exits if it was started here, and a minimal Debian bookworm image made with debootstrap. The
# package mirror is read from this machine's apt sources when needed and is written into no file of
# the project and no image.
#
#   engine_name=docker-image . "$(dirname "$0")/docker-engine.sh"   # sets $docker and $work
#   debian_base                                                   # cnlearn/debian-bookworm-minbase
#   postgres_image IMAGE                                          # Debian's PostgreSQL 15 on it
#   mirror                                                        # prints the mirror's URL

docker=/usr/bin/docker
base=cnlearn/debian-bookworm-minbase
work="$(mktemp -d)"
started=""

say() { echo "[${engine_name:-docker}] $*"; }

stop_engine() {
  if [ -n "$started" ]; then
    say "stopping the Docker engine it started (pid $started)"
    kill "$started" 2>/dev/null || true
    wait "$started" 2>/dev/null || true
    started=""
  fi
  rm -rf "$work"
}
trap stop_engine EXIT

missing=()
[ -x /usr/sbin/dockerd ] || missing+=(docker.io)
command -v debootstrap >/dev/null || [ -x /usr/sbin/debootstrap ] || missing+=(debootstrap)
command -v iptables >/dev/null || [ -x /usr/sbin/iptables ] || missing+=(iptables)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]} (Debian's packages)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1 ||
    { apt-get update >/dev/null && apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; }
fi

if ! "$docker" info >/dev/null 2>&1; then
  say "starting dockerd (overlay2)"
  /usr/sbin/dockerd --storage-driver=overlay2 >"$work/dockerd.log" 2>&1 &
  started=$!
  for _ in $(seq 100); do "$docker" info >/dev/null 2>&1 && break; sleep 0.3; done
  "$docker" info >/dev/null 2>&1 || { cat "$work/dockerd.log" >&2; say "the Docker engine did not start"; exit 1; }
fi

# The first Debian mirror of this machine's apt sources (deb822 URIs: or a one-line deb entry).
mirror() {
  local uri
  uri="$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ {print $2; exit}')"
  [ -n "$uri" ] || uri="$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '$1 == "deb" {print $2; exit}')"
  [ -n "$uri" ] || { say "no Debian mirror in /etc/apt/sources*"; exit 1; }
  printf '%s' "$uri"
}

debian_base() {
  "$docker" image inspect "$base" >/dev/null 2>&1 && return
  say "making a minimal Debian bookworm root file system (debootstrap) and importing it as $base"
  local url host
  url="$(mirror)"
  debootstrap --variant=minbase bookworm "$work/rootfs" "$url" >"$work/debootstrap.log" 2>&1 ||
    { tail -20 "$work/debootstrap.log" >&2; exit 1; }
  # what names the mirror stays out of the image
  host="${url#*://}"; host="${host%%/*}"
  rm -rf "$work/rootfs/etc/apt/sources.list" "$work/rootfs/var/lib/apt/lists/"* "$work/rootfs/var/log/bootstrap.log" \
    "$work/rootfs/debootstrap"
  # (Debian's own documentation may name Debian's default mirror; what this machine configured lives in /etc and /var)
  if grep -rIl -- "$host" "$work/rootfs/etc" "$work/rootfs/var" 2>/dev/null | head -1 | grep -q .; then
    say "the root file system still names the mirror in /etc or /var: not imported"; exit 1
  fi
  tar -C "$work/rootfs" -c . | "$docker" import - "$base" >/dev/null
  rm -rf "$work/rootfs"
}

# Debian's PostgreSQL 15 on that base (.ci/postgres-image/): the tests' Testcontainers image, and the
# training database of the migration image's build. The mirror is a build secret, in no layer.
postgres_image() {
  local image="$1"
  "$docker" image inspect "$image" >/dev/null 2>&1 && return
  debian_base
  say "building $image (Debian's postgresql-15) on $base"
  printf 'deb %s bookworm main\n' "$(mirror)" > "$work/apt-sources"
  DOCKER_BUILDKIT=1 "$docker" build --secret id=apt-sources,src="$work/apt-sources" -t "$image" \
    "$(dirname "${BASH_SOURCE[0]}")/postgres-image" >"$work/build.log" 2>&1 ||
    { tail -30 "$work/build.log" >&2; exit 1; }
  rm -f "$work/apt-sources"
}

# The base image's stand-in (debian:bookworm-slim): that Debian without what Debian's own slim images
# leave out (documentation but for its copyright files, manual pages, info, translations), made as one
# layer so that what is left out is really gone.
slim=cnlearn/debian-bookworm-slim
slim_base() {
  "$docker" image inspect "$slim" >/dev/null 2>&1 && return
  debian_base
  say "making $slim: $base without documentation, manual pages and translations, as Debian's slim images are"
  local container root="$work/slim"
  container="$("$docker" create "$base" /bin/true)"
  mkdir -p "$root"
  "$docker" export "$container" | tar -C "$root" -x
  "$docker" rm "$container" >/dev/null
  find "$root/usr/share/doc" -mindepth 1 -not -type d -not -name copyright -delete
  rm -rf "$root/usr/share/man/"* "$root/usr/share/info/"* "$root/usr/share/locale/"* "$root/usr/share/lintian" \
    "$root/var/cache/apt/"*.bin "$root/var/cache/debconf/"*-old "$root/var/lib/dpkg/"*-old
  mkdir -p "$root/etc/dpkg/dpkg.cfg.d"
  printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' 'path-exclude /usr/share/man/*' \
    'path-exclude /usr/share/info/*' 'path-exclude /usr/share/locale/*' > "$root/etc/dpkg/dpkg.cfg.d/slim"
  tar -C "$root" -c . | "$docker" import - "$slim" >/dev/null
  rm -rf "$root"
}

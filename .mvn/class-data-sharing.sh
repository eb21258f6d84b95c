# Class-data sharing for ./mvnw, sourced by it (the one call is in mvnw's exec_maven) just before it
# starts Maven, with the Maven command line in "$MAVEN_HOME/bin/$MVN_CMD" "$@". It execs Maven itself, or
# returns and lets mvnw do it.
# Reading classes out of jars is most of a goal's start-up, so the
# first run of a kind (Liquibase goals, or anything else) records the classes it loaded into an
# archive under target/cds/, and later runs map that archive instead. The archive is keyed by the
# java binary, the Maven and pom.xml, so a change to any of them records a new one.
# MVNW_CDS=false turns it off. See docs/performance.md.
cds_maven() {
  [ "${MVNW_CDS:-true}" != false ] || return 0
  _cds_kind=maven
  for _cds_arg; do case "$_cds_arg" in liquibase:*) _cds_kind=liquibase ;; esac; done
  _cds_java="${JAVA_HOME:+$JAVA_HOME/bin/java}"
  _cds_java="${_cds_java:-$(command -v java)}" || return 0
  _cds_dir="$(cd "${0%/*}" && pwd)/target/cds"
  _cds_key="$( (printf '%s %s ' "$_cds_kind" "$MAVEN_HOME"; ls -lL "$_cds_java" "${0%/*}/pom.xml" "${0%/*}/.mvn/jvm.config" 2>/dev/null; cat "${0%/*}/pom.xml") | cksum | cut -d' ' -f1)"
  _cds_archive="$_cds_dir/$_cds_kind-$_cds_key.jsa"
  _cds_quiet="-Xlog:cds=off -Xlog:cds+dynamic=off"
  if [ -f "$_cds_archive" ]; then
    MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }-XX:SharedArchiveFile=$_cds_archive $_cds_quiet" exec "$@"
  fi
  mkdir -p "$_cds_dir" 2>/dev/null || return 0
  # what killed runs left, and archives of an older key (mvnw runs with set -f: no globs)
  find "$_cds_dir" -name "$_cds_kind-*" \( -name '*.jsa.*' -mmin +10 -o -name '*.jsa' \) -delete 2>/dev/null || :
  _cds_partial="$_cds_archive.$$"
  if MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }-XX:ArchiveClassesAtExit=$_cds_partial $_cds_quiet" "$@"; then
    [ ! -s "$_cds_partial" ] || mv -f "$_cds_partial" "$_cds_archive" 2>/dev/null || :
    _cds_status=0
  else
    _cds_status=$?
  fi
  rm -f "$_cds_partial"
  exit "$_cds_status"
}

cds_maven "$MAVEN_HOME/bin/$MVN_CMD" "$@"

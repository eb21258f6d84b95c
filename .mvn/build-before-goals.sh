# A Liquibase goal, or a cnlearn: goal, needs this project's compiled classes and the embedded
# PostgreSQL's binaries (target/classes, target/postgres-binaries), and a cnlearn: goal its plugin
# (target/plugin-repository, which process-classes makes). Sourced by ./mvnw (the one call is in its exec_maven)
# just before it starts Maven, with the Maven command line in "$@": when such a goal is asked for and
# those are missing (a fresh clone), or older than what they are built from (a source changed by a git
# pull, say), it builds them first with `process-classes`, and says so in one line. A command that builds
# anyway (process-classes, test, package, verify, ...) is left as it is. docs/getting-started.md.
build_before_goals() {
  _bbg_goal=false
  for _bbg_arg; do
    case "$_bbg_arg" in
      liquibase:* | cnlearn:*) _bbg_goal=true ;;
      process-classes | test-compile | process-test-classes | test | prepare-package | package | \
        pre-integration-test | integration-test | post-integration-test | verify | install | deploy) return 0 ;;
    esac
  done
  [ "$_bbg_goal" = true ] || return 0
  _bbg_dir="$(cd "${0%/*}" && pwd)"
  _bbg_driver="$_bbg_dir/target/classes/org/cnlearn/db/connection/CnlearnDriver.class"
  if [ ! -f "$_bbg_driver" ] || [ ! -d "$_bbg_dir/target/postgres-binaries" ] \
    || [ ! -d "$_bbg_dir/target/plugin-repository/org/cnlearn/cnlearn-db" ]; then
    _bbg_why="the project is not built yet"
  else
    # the compiler rewrites every class when any source changed, and each resource is copied when it changed
    _bbg_why=""
    for _bbg_file in $(find "$_bbg_dir/src/main" -type f -newer "$_bbg_driver" 2>/dev/null); do
      case "$_bbg_file" in
        "$_bbg_dir"/src/main/resources/*) _bbg_copy="$_bbg_dir/target/classes/${_bbg_file#"$_bbg_dir"/src/main/resources/}" ;;
        *) _bbg_copy="" ;;
      esac
      if [ -z "$_bbg_copy" ] || [ ! -f "$_bbg_copy" ] || [ -n "$(find "$_bbg_file" -newer "$_bbg_copy")" ]; then
        _bbg_why="src/main changed since the last build"
        break
      fi
    done
    [ -n "$_bbg_why" ] || return 0
  fi
  echo "[cnlearn-db] $_bbg_why: building it first (./mvnw process-classes)" >&2
  # the same options (offline, repository, settings...), not the goals: kept ones rotate to the end
  _bbg_left=$#
  _bbg_value=false
  while [ "$_bbg_left" -gt 0 ]; do
    _bbg_arg=$1
    shift
    _bbg_left=$((_bbg_left - 1))
    if [ "$_bbg_value" = true ]; then
      set -- "$@" "$_bbg_arg"
      _bbg_value=false
      continue
    fi
    case "$_bbg_arg" in
      -f | -s | -gs | -P | -pl | -l | -T | -t | -b | -rf) set -- "$@" "$_bbg_arg"; _bbg_value=true ;;
      -q | --quiet) ;;
      -*) set -- "$@" "$_bbg_arg" ;;
    esac
  done
  "$MAVEN_HOME/bin/$MVN_CMD" -q "$@" process-classes || {
    echo "[cnlearn-db] the build failed (above), so the goal did not run." >&2
    exit 1
  }
}

build_before_goals "$@"

# The cnlearn: goals' plugin is built with the project, into target/plugin-repository: Maven reads it
# from there as from a second local repository, and never copies it into yours.
_bbg_plugins="$(cd "${0%/*}" && pwd)/target/plugin-repository"
set -- "-Dmaven.repo.local.tail=$_bbg_plugins" -Dmaven.repo.local.tail.ignoreAvailability=true "$@"

# A liquibase: goal reads at a glance (docs/goals.md): Maven loads this project's core extension,
# org.cnlearn.db.maven, from the classes just built. It changes nothing under -e or -X.
for _bbg_arg; do
  case "$_bbg_arg" in
    liquibase:*)
      _bbg_classes="$(cd "${0%/*}" && pwd)/target/classes"
      [ ! -f "$_bbg_classes/META-INF/sisu/javax.inject.Named" ] || set -- "-Dmaven.ext.class.path=$_bbg_classes" "$@"
      break ;;
  esac
done

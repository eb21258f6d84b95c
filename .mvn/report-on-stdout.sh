# A report as data (-Dcnlearn.format=json or markdown; docs/ci.md): standard output holds that document
# alone, so Maven's own log goes to standard error. Sourced by ./mvnw (the one call is in its exec_maven)
# just before it starts Maven, with the Maven command line in "$@", to which it adds the setting of Maven's
# logger that says so.
for _ros_arg; do
  case "$_ros_arg" in
    -Dcnlearn.format=*)
      case "$(printf %s "${_ros_arg#-Dcnlearn.format=}" | tr '[:upper:]' '[:lower:]')" in
        json | markdown) set -- "$@" -Dorg.slf4j.simpleLogger.logFile=System.err ;;
      esac
      ;;
  esac
done
unset _ros_arg

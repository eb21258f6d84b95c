# The migration image (docs/deploying.md): the distribution that ./mvnw package made, on a Java
# runtime cut down to the modules it uses, with the start-up cache of that runtime recorded at build
# time. `docker run cnlearn-db` runs `cnlearn-db update`; any command of bin/cnlearn-db can follow the
# image's name. Build it after ./mvnw package:
#
#   docker build --build-arg VERSION=<the pom's version> -t cnlearn-db .
#
# The bases are public images; .ci/docker-image builds stand-ins for them from Debian's packages where
# no registry answers. No password is baked in: the build's training database trusts local
# connections, lives only in the discarded training stage, and the runtime gets its connection from
# LIQUIBASE_COMMAND_URL / _USERNAME / _PASSWORD.
ARG JDK_IMAGE=eclipse-temurin:25-jdk
ARG BASE_IMAGE=debian:bookworm-slim
ARG TRAINING_DATABASE_IMAGE=postgres:18-bookworm

# A Java runtime of the modules the distribution uses (jdeps on lib/, plus zipfs, which Liquibase
# reads jars with, and EC for TLS to PostgreSQL).
FROM ${JDK_IMAGE} AS runtime
RUN jlink --add-modules java.base,java.desktop,java.logging,java.management,java.naming,java.security.jgss,java.sql,java.xml,jdk.crypto.ec,jdk.unsupported,jdk.zipfs \
      --strip-java-debug-attributes --no-man-pages --no-header-files --compress=zip-6 --output /opt/jre

# The training run: every command once, on a scratch PostgreSQL that lives only in this stage, with
# the runtime and the distribution at the paths the image has; it leaves the start-up cache in
# /opt/cnlearn-db/cache/.
FROM ${TRAINING_DATABASE_IMAGE} AS training
ARG VERSION
COPY --from=runtime /opt/jre /opt/jre
COPY target/cnlearn-db-${VERSION}/ /opt/cnlearn-db/
RUN set -eu; \
    initdb=$(ls /usr/lib/postgresql/*/bin/initdb | tail -1); bin=${initdb%/initdb}; \
    mkdir -p /tmp/training-db && chown postgres /tmp/training-db; \
    su postgres -s /bin/sh -c "$bin/initdb -D /tmp/training-db/data -U postgres --auth=trust >/dev/null && \
      $bin/pg_ctl -D /tmp/training-db/data -w -l /tmp/training-db/log -o '-c listen_addresses=127.0.0.1 -p 5499 -k /tmp/training-db' start >/dev/null"; \
    JAVA_HOME=/opt/jre LIQUIBASE_COMMAND_URL=jdbc:postgresql://127.0.0.1:5499/postgres LIQUIBASE_COMMAND_USERNAME=postgres \
      /opt/cnlearn-db/bin/cnlearn-db startup-cache; \
    su postgres -s /bin/sh -c "$bin/pg_ctl -D /tmp/training-db/data -w -m fast stop >/dev/null"; \
    ls /opt/cnlearn-db/cache/cnlearn-db-jdk25-*.aot

FROM ${BASE_IMAGE}
ARG VERSION
COPY --from=runtime /opt/jre /opt/jre
COPY target/cnlearn-db-${VERSION}/ /opt/cnlearn-db/
COPY --from=training /opt/cnlearn-db/cache/ /opt/cnlearn-db/cache/
RUN groupadd --system --gid 10001 cnlearn \
 && useradd --system --uid 10001 --gid cnlearn --home-dir /home/cnlearn --create-home --shell /usr/sbin/nologin cnlearn
# the cache recorded above is used; a run never records one of its own (a container's files go with it)
ENV JAVA_HOME=/opt/jre CNLEARN_DB_STARTUP_CACHE=use PATH=/opt/cnlearn-db/bin:/opt/jre/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
USER 10001:10001
WORKDIR /home/cnlearn
ENTRYPOINT ["/opt/cnlearn-db/bin/cnlearn-db"]
CMD ["update"]

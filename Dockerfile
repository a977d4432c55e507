# The bot in a container: a small Debian-based Python image, the dependencies exactly as requirements.lock
# pins them (with their hashes), the bot's own wheel, a non-root user, everything it writes in /data.
# Build: docker build -t lien-bot .      Run: docs/deployment.md

FROM python:3.11-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
# Dependencies first, from the lock only: this layer is rebuilt when the lock changes, not at every edit.
COPY requirements.lock ./
RUN python -m venv /opt/lien \
    && /opt/lien/bin/pip install --require-hashes -r requirements.lock
COPY pyproject.toml README.md LICENSE config.example.toml ./
COPY locales ./locales
COPY bot ./bot
RUN /opt/lien/bin/pip wheel --no-deps --wheel-dir /tmp/dist . \
    && /opt/lien/bin/pip install --no-deps /tmp/dist/lien_bot-*.whl

FROM python:3.11-slim-bookworm
# Its own user, without a shell or a home outside the data volume.
RUN groupadd --system --gid 10001 lien \
    && useradd --system --uid 10001 --gid lien --home-dir /data --shell /usr/sbin/nologin lien \
    && install -d -o lien -g lien -m 0700 /data
COPY --from=build /opt/lien /opt/lien
ENV PATH=/opt/lien/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    BOT_DB_PATH=/data/lien.sqlite3 \
    BOT_WEB_LISTEN=127.0.0.1 \
    BOT_WEB_PORT=9464
USER lien
WORKDIR /data
# The database, its key file (lien.key, created at first start) and backups/: back up the backups and,
# separately, the key (docs/operations.md).
VOLUME ["/data"]
# /health answers 503 while Telegram is out of reach or the disk is full (docs/monitoring.md).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('BOT_WEB_PORT', '9464') + '/health', timeout=4)"]
ENTRYPOINT ["lien-bot"]
CMD ["run"]

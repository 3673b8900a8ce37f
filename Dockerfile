# One image for every Python component of the platform. The command picks one:
#   python -m common.migrate <service>     one-shot: Alembic migrations to head
#   python -m common.runner <service>      a nameko service (members, partnerships,
#                                          grants, payments, notifications)
#   python -m gateway                      the GraphQL gateway (the default)
#   python deploy/healthcheck.py <service> readiness of a running service
# Settings come from the environment: see docs/development.md and docs/deployment.md.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    PYTHONPATH=/app \
    DATA_DIR=/app/var \
    GATEWAY_HOST=0.0.0.0 \
    GATEWAY_PORT=8000

WORKDIR /app

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin app

# Runtime dependencies only (pyproject's [project].dependencies), every version,
# transitive ones included, fixed by requirements.lock. The lock's dev tools
# (pytest, mypy, localstripe, aiosmtpd, ...) stay out of the image, as do
# devstripe/ and devmail/.
COPY requirements.lock pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/runtime.txt \
    && pip install --no-cache-dir -c requirements.lock -r /tmp/runtime.txt \
    && rm /tmp/runtime.txt

# The code runs from /app (PYTHONPATH): common.config derives the migrations'
# location from where the code lies, and the wheel would not carry them.
COPY NOTICE ./
COPY common ./common
COPY contracts ./contracts
COPY services ./services
COPY gateway ./gateway
COPY data ./data
COPY deploy/healthcheck.py deploy/migrations_ready.py ./deploy/
RUN mkdir -p /app/var && chown app:app /app/var

USER 10001:10001
EXPOSE 8000
CMD ["python", "-m", "gateway"]

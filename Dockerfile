# One image for the web tier and the workers; they differ only in their command.
FROM python:3.11-slim-bookworm

RUN apt-get update \
    && apt-get install -y --no-install-recommends graphviz libpango-1.0-0 libpangoft2-1.0-0 \
       libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 VAR_DIR=/data BIND=0.0.0.0:8000 \
    STATICFILES_STORAGE=whitenoise.storage.CompressedManifestStaticFilesStorage
WORKDIR /app
COPY requirements.txt constraints.txt ./
RUN pip install --no-cache-dir -r requirements.txt -c constraints.txt
COPY . .
RUN DEBUG=false SECRET_KEY=build python manage.py collectstatic --noinput

RUN useradd --create-home planner && mkdir -p /data && chown planner /data
USER planner
EXPOSE 8000
# Worker: docker run IMAGE celery -A planner worker --queues default,diagrams,pricing,exports
# Beat (exactly one): docker run IMAGE celery -A planner beat. compose.yaml runs them all.
# gunicorn.conf.py: workers from the CPU count (WEB_CONCURRENCY), timeouts, access log.
CMD ["gunicorn", "-c", "gunicorn.conf.py", "planner.wsgi"]

FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 VAR_DIR=/app/var
WORKDIR /app

COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock

RUN useradd --system --create-home --uid 10001 campaign
COPY --chown=campaign:campaign . .
# Static files are collected at build time; a throwaway key satisfies the production settings.
RUN DEBUG=false SECRET_KEY=build-only-build-only-build-only-build-only-build-only-0000 SITE_URL=http://localhost ALLOWED_HOSTS=localhost SECURE_SSL_REDIRECT=false \
    CONTROLLER_NAME=build CONTROLLER_ADDRESS=build CONTROLLER_EMAIL=build@build.invalid \
    python manage.py collectstatic --noinput && mkdir -p var/mail && chown -R campaign:campaign var

USER campaign
EXPOSE 8000
CMD ["gunicorn", "--config", "gunicorn.conf.py", "pausecampaign.wsgi:application"]

# Two stages: the first installs the runtime lock (hashes checked) into a virtualenv; the final
# image copies that and the application, and nothing else: no test tools, no .env, no tests.
FROM python:3.11.13-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /venv
COPY requirements.lock /tmp/requirements.lock
RUN /venv/bin/pip install --require-hashes -r /tmp/requirements.lock

FROM python:3.11.13-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PATH=/venv/bin:$PATH VAR_DIR=/app/var
WORKDIR /app
RUN useradd --system --create-home --uid 10001 campaign
COPY --from=build /venv /venv
COPY --chown=campaign:campaign manage.py gunicorn.conf.py ./
COPY --chown=campaign:campaign pausecampaign pausecampaign
COPY --chown=campaign:campaign pledges pledges
COPY --chown=campaign:campaign briefings briefings
COPY --chown=campaign:campaign templates templates
COPY --chown=campaign:campaign static static
# Static files are collected at build time; throwaway values satisfy the production settings.
RUN DEBUG=false SECRET_KEY=build-only-build-only-build-only-build-only-build-only-0000 SITE_URL=http://localhost \
    ALLOWED_HOSTS=localhost SECURE_SSL_REDIRECT=false CONTROLLER_NAME=build CONTROLLER_ADDRESS=build \
    CONTROLLER_EMAIL=build@build.invalid python manage.py collectstatic --noinput \
    && mkdir -p var/mail && chown -R campaign:campaign var
USER 10001
EXPOSE 8000
CMD ["gunicorn", "--config", "gunicorn.conf.py", "pausecampaign.wsgi:application"]

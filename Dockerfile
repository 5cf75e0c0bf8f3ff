# The ledger's image: the package installed from this repository into a virtual environment, run as a user
# without privileges. It runs `ledger serve`; compose.yaml runs `ledger projections run` from it too.
FROM python:3.12-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY domain domain
COPY projections projections
COPY replay replay
COPY ledger ledger
COPY api api
RUN python -m venv /opt/ledger && /opt/ledger/bin/pip install .

FROM python:3.12-slim
RUN useradd --system --create-home --home-dir /var/lib/ledger --shell /usr/sbin/nologin ledger
COPY --from=build /opt/ledger /opt/ledger
ENV PATH=/opt/ledger/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    LEDGER_DATA_DIR=/var/lib/ledger \
    LEDGER_LOG_FORMAT=json
USER ledger
WORKDIR /var/lib/ledger
EXPOSE 8000
CMD ["ledger", "serve", "--host", "0.0.0.0", "--port", "8000"]

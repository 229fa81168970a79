-- Initial schema. Rendered as a Go template: {{.Timestamp}}, {{.JSON}},
-- {{.Blob}} and {{.BigInt}} map to each database's types.

CREATE TABLE users (
    id            VARCHAR(40) PRIMARY KEY,
    email         VARCHAR(320) NOT NULL UNIQUE,
    name          VARCHAR(200) NOT NULL,
    password_hash VARCHAR(200) NOT NULL,
    is_admin      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    {{.Timestamp}} NOT NULL
);

--bun:split

-- kv backs fiber's session, CSRF and limiter storage so that every
-- instance on one database shares them.
CREATE TABLE kv (
    k          VARCHAR(200) PRIMARY KEY,
    v          {{.Blob}} NOT NULL,
    expires_at {{.BigInt}} NOT NULL DEFAULT 0
);

--bun:split

CREATE INDEX kv_expires_at ON kv (expires_at);

--bun:split

CREATE TABLE settings (
    k VARCHAR(100) PRIMARY KEY,
    v {{.JSON}} NOT NULL
);

--bun:split

CREATE TABLE procedures (
    id              VARCHAR(40) PRIMARY KEY,
    slug            VARCHAR(100) NOT NULL UNIQUE,
    status          VARCHAR(20) NOT NULL,
    draft           {{.JSON}} NOT NULL,
    current_version INTEGER NOT NULL DEFAULT 0,
    created_at      {{.Timestamp}} NOT NULL,
    updated_at      {{.Timestamp}} NOT NULL
);

--bun:split

CREATE TABLE procedure_versions (
    id           VARCHAR(40) PRIMARY KEY,
    procedure_id VARCHAR(40) NOT NULL REFERENCES procedures (id),
    version      INTEGER NOT NULL,
    definition   {{.JSON}} NOT NULL,
    published_at {{.Timestamp}} NOT NULL,
    published_by VARCHAR(40),
    UNIQUE (procedure_id, version)
);

--bun:split

CREATE TABLE reference_counters (
    procedure_id VARCHAR(40) NOT NULL REFERENCES procedures (id),
    year         INTEGER NOT NULL,
    seq          {{.BigInt}} NOT NULL,
    PRIMARY KEY (procedure_id, year)
);

--bun:split

CREATE TABLE dossiers (
    id              VARCHAR(40) PRIMARY KEY,
    procedure_id    VARCHAR(40) NOT NULL REFERENCES procedures (id),
    version_id      VARCHAR(40) NOT NULL REFERENCES procedure_versions (id),
    reference       VARCHAR(60) NOT NULL UNIQUE,
    tracking_token  VARCHAR(64) NOT NULL UNIQUE,
    idempotency_key VARCHAR(100) NOT NULL,
    state           VARCHAR(100) NOT NULL,
    data            {{.JSON}} NOT NULL,
    applicant_email VARCHAR(320) NOT NULL DEFAULT '',
    applicant_name  VARCHAR(300) NOT NULL DEFAULT '',
    created_by      VARCHAR(40),
    submitted_at    {{.Timestamp}} NOT NULL,
    updated_at      {{.Timestamp}} NOT NULL,
    closed_at       {{.Timestamp}},
    UNIQUE (procedure_id, idempotency_key)
);

--bun:split

CREATE INDEX dossiers_procedure_submitted ON dossiers (procedure_id, submitted_at);

--bun:split

CREATE TABLE dossier_events (
    id         VARCHAR(40) PRIMARY KEY,
    dossier_id VARCHAR(40) NOT NULL REFERENCES dossiers (id),
    at         {{.Timestamp}} NOT NULL,
    kind       VARCHAR(60) NOT NULL,
    actor      VARCHAR(200) NOT NULL DEFAULT '',
    public     BOOLEAN NOT NULL DEFAULT FALSE,
    details    {{.JSON}} NOT NULL
);

--bun:split

CREATE INDEX dossier_events_dossier ON dossier_events (dossier_id, at);

--bun:split

CREATE TABLE jobs (
    id           VARCHAR(40) PRIMARY KEY,
    kind         VARCHAR(60) NOT NULL,
    payload      {{.JSON}} NOT NULL,
    status       VARCHAR(20) NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    run_at       {{.Timestamp}} NOT NULL,
    locked_until {{.Timestamp}},
    locked_by    VARCHAR(100),
    last_error   TEXT,
    created_at   {{.Timestamp}} NOT NULL,
    finished_at  {{.Timestamp}},
    unique_key   VARCHAR(200) UNIQUE
);

--bun:split

CREATE INDEX jobs_ready ON jobs (status, run_at);

--bun:split

CREATE TABLE mailbox (
    id         VARCHAR(100) PRIMARY KEY,
    dossier_id VARCHAR(40),
    kind       VARCHAR(30) NOT NULL,
    recipient  TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at {{.Timestamp}} NOT NULL
);

--bun:split

CREATE INDEX mailbox_created ON mailbox (created_at);

--bun:split

CREATE TABLE drafts (
    id           VARCHAR(64) PRIMARY KEY,
    procedure_id VARCHAR(40) NOT NULL REFERENCES procedures (id),
    version_id   VARCHAR(40) NOT NULL REFERENCES procedure_versions (id),
    owner        VARCHAR(64) NOT NULL,
    data         {{.JSON}} NOT NULL,
    dossier_id   VARCHAR(40),
    created_at   {{.Timestamp}} NOT NULL,
    updated_at   {{.Timestamp}} NOT NULL
);

--bun:split

CREATE TABLE files (
    id           VARCHAR(40) PRIMARY KEY,
    owner        VARCHAR(64) NOT NULL,
    dossier_id   VARCHAR(40),
    name         VARCHAR(255) NOT NULL,
    content_type VARCHAR(255) NOT NULL,
    size         {{.BigInt}} NOT NULL,
    sha256       VARCHAR(64) NOT NULL,
    content      {{.Blob}} NOT NULL,
    created_at   {{.Timestamp}} NOT NULL
);

--bun:split

CREATE INDEX files_dossier ON files (dossier_id);

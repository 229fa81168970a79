-- Integrations of api scenarios: the business application's id of a
-- dossier, webhook deliveries already applied (replay protection), poll
-- runs, and the integrations' secrets, encrypted (AES-256-GCM) with a key
-- that is not in the database.

ALTER TABLE dossiers ADD COLUMN external_id VARCHAR(200);

--bun:split

CREATE INDEX dossiers_external_id ON dossiers (procedure_id, external_id);

--bun:split

-- Poll runs page through a procedure's dossiers in id order.
CREATE INDEX dossiers_procedure_id ON dossiers (procedure_id, id);

--bun:split

-- webhook_deliveries records each applied webhook call (its webhook-id),
-- in the transaction of the update, so that a replay is applied once.
CREATE TABLE webhook_deliveries (
    integration VARCHAR(200) NOT NULL,
    webhook_id  VARCHAR(200) NOT NULL,
    dossier_id  VARCHAR(40) NOT NULL,
    changed     BOOLEAN NOT NULL DEFAULT FALSE,
    received_at {{.Timestamp}} NOT NULL,
    PRIMARY KEY (integration, webhook_id)
);

--bun:split

CREATE INDEX webhook_deliveries_received ON webhook_deliveries (received_at);

--bun:split

-- integration_runs has one row per tick of a poll schedule: the tick is
-- claimed once across instances; after_id is how far the run got (dossiers
-- are polled in id order) and failed the dossiers to poll again.
CREATE TABLE integration_runs (
    id           VARCHAR(40) PRIMARY KEY,
    integration  VARCHAR(200) NOT NULL,
    procedure_id VARCHAR(40) NOT NULL,
    tick         {{.Timestamp}} NOT NULL,
    status       VARCHAR(20) NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    dossiers     INTEGER NOT NULL DEFAULT 0,
    changed      INTEGER NOT NULL DEFAULT 0,
    errors       INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT,
    after_id     VARCHAR(40) NOT NULL DEFAULT '',
    failed       {{.JSON}},
    started_at   {{.Timestamp}} NOT NULL,
    updated_at   {{.Timestamp}} NOT NULL,
    finished_at  {{.Timestamp}},
    UNIQUE (integration, tick)
);

--bun:split

CREATE INDEX integration_runs_recent ON integration_runs (integration, started_at);

--bun:split

CREATE TABLE integration_secrets (
    name       VARCHAR(100) PRIMARY KEY,
    ciphertext {{.Blob}} NOT NULL,
    key_id     VARCHAR(16) NOT NULL,
    hint       VARCHAR(8) NOT NULL DEFAULT '',
    updated_at {{.Timestamp}} NOT NULL,
    updated_by VARCHAR(40)
);

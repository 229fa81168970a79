DROP TABLE integration_secrets;
--bun:split
DROP INDEX integration_runs_recent;
--bun:split
DROP TABLE integration_runs;
--bun:split
DROP INDEX webhook_deliveries_received;
--bun:split
DROP TABLE webhook_deliveries;
--bun:split
DROP INDEX dossiers_procedure_id;
--bun:split
DROP INDEX dossiers_external_id;
--bun:split
ALTER TABLE dossiers DROP COLUMN external_id;

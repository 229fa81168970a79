DROP TABLE files;
--bun:split
DROP TABLE drafts;
--bun:split
DROP TABLE mailbox;
--bun:split
DROP TABLE jobs;
--bun:split
DROP TABLE dossier_events;
--bun:split
DROP TABLE dossiers;
--bun:split
DROP TABLE reference_counters;
--bun:split
DROP TABLE procedure_versions;
--bun:split
DROP TABLE procedures;
--bun:split
DROP TABLE settings;
--bun:split
DROP TABLE kv;
--bun:split
DROP TABLE users;

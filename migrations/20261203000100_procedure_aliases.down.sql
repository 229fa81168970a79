DROP INDEX procedure_aliases_procedure;
--bun:split
DROP TABLE procedure_aliases;

-- One database per service (docs/development.md), owned by POSTGRES_USER.
-- The postgres image runs this once, when its data volume is first
-- initialised (mounted into /docker-entrypoint-initdb.d by docker-compose.yml).
-- Tables are the migrations' job: `python -m common.migrate <service>`.
CREATE DATABASE members;
CREATE DATABASE partnerships;
CREATE DATABASE grants;
CREATE DATABASE payments;
CREATE DATABASE notifications;

export { startMariaDb, mariaDbUnavailable, sqliteSettings, type MariaDbServer } from './mariadb-server';
export { onEveryBackend, type Backend } from './backends';

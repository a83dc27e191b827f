// Streams single-row autocommit INSERTs to the primary over TLS as the app user and appends each
// id to ACKED_FILE only after the server acknowledged the commit. Runs until the connection dies
// (the test SIGKILLs the primary) or MAX_ROWS is reached. Every id in ACKED_FILE must survive.
// Usage: node durability-writer.mjs HOST CA_FILE ACKED_FILE   (APP_PASSWORD in the environment)
import { appendFileSync, readFileSync } from 'node:fs';
import mysql from 'mysql2/promise';

const [host, caFile, ackedFile] = process.argv.slice(2);
const MAX_ROWS = 200000;
const conn = await mysql.createConnection({
  host,
  port: 3306,
  user: 'app',
  password: process.env.APP_PASSWORD,
  database: 'marketplace',
  ssl: { ca: readFileSync(caFile, 'utf8') },
});
// The table is created by the test (DDL is the migration user's; the app user has DML only).
let acked = 0;
try {
  for (let id = 1; id <= MAX_ROWS; id++) {
    await conn.query('INSERT INTO durability (id, payload) VALUES (?, ?)', [id, `row-${id}`]);
    appendFileSync(ackedFile, `${id}\n`);
    acked = id;
  }
} catch (error) {
  console.error(`writer stopped after ${acked} acknowledged rows: ${error.code ?? error.message}`);
}
process.exit(0);

/**
 * The yardstick for (2): a bare durable server, `node:http` and better-sqlite3 and nothing else.
 * Every POST is read, parsed as JSON, inserted as one row and committed on its own (WAL,
 * `synchronous=FULL`: one fsync per request) before its 201; no validation, no rules, no read
 * model, no log. Started by bench/http-ingest.ts in its own process, like the app (bench/server.ts),
 * with the file in SQLITE_PATH; sends its parent (IPC) its port and pid.
 */
import Database from 'better-sqlite3';
import { createServer } from 'node:http';

const path = process.env.SQLITE_PATH;
if (!path) throw new Error('SQLITE_PATH is required');
const db = new Database(path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec(
  'CREATE TABLE IF NOT EXISTS events (position INTEGER PRIMARY KEY AUTOINCREMENT, stream TEXT NOT NULL, data TEXT NOT NULL)',
);
const insert = db.prepare('INSERT INTO events (stream, data) VALUES (?, ?)');

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    if (req.method !== 'POST') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString());
    } catch {
      res.writeHead(400).end();
      return;
    }
    // One statement outside a transaction: SQLite commits it on its own, with its fsync.
    const info = insert.run(req.url ?? '', JSON.stringify(body));
    res
      .writeHead(201, { 'content-type': 'application/json' })
      .end(JSON.stringify({ position: Number(info.lastInsertRowid) }));
  });
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({
    port: typeof address === 'object' && address ? address.port : 0,
    pid: process.pid,
  });
});
const stop = (): void => {
  server.close();
  db.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

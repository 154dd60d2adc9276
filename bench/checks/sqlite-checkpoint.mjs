#!/usr/bin/env node
// What SQLite's automatic WAL checkpoints cost the thread that commits, as the service runs
// SQLite (WAL, synchronous = NORMAL): 20,000 transactions of one 300-byte row and two 400-byte
// audit-like rows, with wal_autocheckpoint at its default (1000 pages) and off.
//   node bench/checks/sqlite-checkpoint.mjs      (a file in the system's temp directory)
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

for (const pages of [1000, 0]) {
  const dir = mkdtempSync(join(os.tmpdir(), 'agent-sms-gateway-checkpoint-'));
  const db = new Database(join(dir, 'check.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma(`wal_autocheckpoint = ${pages}`);
  db.exec(`CREATE TABLE m (id TEXT PRIMARY KEY, body TEXT, h TEXT); CREATE INDEX mh ON m (h);
           CREATE TABLE a (seq INTEGER PRIMARY KEY, d TEXT, h TEXT); CREATE INDEX ah ON a (h);`);
  const insertRow = db.prepare('INSERT INTO m VALUES (?, ?, ?)');
  const insertEvent = db.prepare('INSERT INTO a (d, h) VALUES (?, ?)');
  const send = db.transaction((i) => {
    insertRow.run(`id${i}`, 'x'.repeat(300), `h${i % 97}`);
    insertEvent.run('y'.repeat(400), `h${i}`);
    insertEvent.run('z'.repeat(400), `g${i}`);
  });
  const ms = [];
  for (let i = 0; i < 20_000; i += 1) {
    const started = process.hrtime.bigint();
    send(i);
    ms.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  ms.sort((a, b) => a - b);
  const at = (p) => ms[Math.floor(p * ms.length)].toFixed(2);
  const total = ms.reduce((sum, t) => sum + t, 0);
  console.log(
    `wal_autocheckpoint = ${pages}: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, p99.9 ${at(0.999)} ms,` +
      ` max ${ms[ms.length - 1].toFixed(1)} ms, total ${total.toFixed(0)} ms`,
  );
  db.close();
  rmSync(dir, { recursive: true, force: true });
}

#!/usr/bin/env node
// The CPU the durable part of one send costs in SQLite itself, with no app around it: on the
// service's own schema (its migrations, run by the built dist/), per send the consent read, the
// message row, the `send.requested` event, the settle update and its event, in transactions of
// `batch` sends as group commit makes them, with WAL checkpoints off this thread as in the
// service. Prints CPU (user + system) per send.
//   npm run build && node bench/checks/sqlite-send-floor.mjs [batch, default 8] [sends, default 8000]
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../dist/database/data-source-options.js';

const batch = Number(process.argv[2] ?? 8);
const sends = Number(process.argv[3] ?? 8000);
const dir = mkdtempSync(join(os.tmpdir(), 'agent-sms-gateway-send-floor-'));
const path = join(dir, 'floor.sqlite');

try {
  const schema = new DataSource(
    dataSourceOptions({ type: 'sqlite', url: undefined, sqlitePath: path, migrationsRun: true }),
  );
  await schema.initialize();
  await schema.destroy();

  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('wal_autocheckpoint = 0');
  const readConsent = db.prepare('SELECT "state" FROM "consents" WHERE "recipient_hash" = ?');
  const insertMessage = db.prepare(
    `INSERT INTO "messages" ("id", "tool", "api_key_name", "recipient", "recipient_hash",
       "body_sha256", "segments", "encoding", "status", "transport", "created_at", "updated_at")
     VALUES (?, 'send_sms', 'bench', ?, ?, ?, 1, 'GSM-7', 'accepted', 'twilio', ?, ?)`,
  );
  const settleMessage = db.prepare(
    `UPDATE "messages" SET "status" = 'sent', "provider_sid" = ?, "response" = ?,
       "response_status" = 201, "updated_at" = ? WHERE "id" = ?`,
  );
  const insertEvent = db.prepare(
    `INSERT INTO "audit_events" ("seq", "at", "actor", "action", "message_id", "recipient_masked",
       "recipient_hash", "outcome", "request_id", "details", "prev_hash", "hash")
     VALUES (?, ?, 'bench', ?, ?, '***0143', ?, 'ok', ?, ?, ?, ?)`,
  );
  const numbers = ['+12025550143', '+12025550187', '+13125550199', '+14155550132'];
  const hashes = numbers.map((n) => createHash('sha256').update(n).digest('hex'));
  let seq = 0;
  let head = '0'.repeat(64);
  const event = (action, id, recipientHash, at, details) => {
    const hash = createHash('sha256')
      .update(`${head}${seq + 1}${action}${id}${details}`)
      .digest('hex');
    seq += 1;
    insertEvent.run(seq, at, action, id, recipientHash, randomUUID(), details, head, hash);
    head = hash;
  };
  const send = (i) => {
    const id = randomUUID();
    const number = i % numbers.length;
    const at = new Date().toISOString();
    readConsent.get(hashes[number]);
    insertMessage.run(id, numbers[number], hashes[number], randomBytes(32).toString('hex'), at, at);
    event('send.requested', id, hashes[number], at, '{"tool":"send_sms","segments":1}');
    const sid = `SM${randomBytes(16).toString('hex')}`;
    settleMessage.run(
      sid,
      JSON.stringify({ success: true, status: 'sent', message_id: id }),
      at,
      id,
    );
    event('send.sent', id, hashes[number], at, JSON.stringify({ provider_sid: sid }));
  };
  const group = db.transaction((from) => {
    for (let i = from; i < from + batch; i += 1) send(i);
  });
  for (let i = 0; i < 800; i += batch) group(i);
  const before = process.cpuUsage();
  for (let i = 0; i < sends; i += batch) group(i);
  const used = process.cpuUsage(before);
  console.log(
    `${sends} sends, ${batch} per transaction: ${((used.user + used.system) / sends).toFixed(0)} µs ` +
      `CPU per send in SQLite and its bindings (${(used.system / sends).toFixed(0)} µs of it system)`,
  );
  db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}

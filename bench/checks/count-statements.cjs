// Preloaded into the app by statements.mjs (node -r): counts better-sqlite3 prepares, and the
// executions and time of each statement, and writes them to STATEMENT_COUNTS_FILE every 50 ms.
const { writeFileSync } = require('node:fs');
const Database = require('better-sqlite3');

const counts = { prepare: 0, run: 0, all: 0, get: 0 };
/** By SQL text: executions and nanoseconds spent in them (synchronous, on the event loop). */
const bySql = {};
const prepare = Database.prototype.prepare;
Database.prototype.prepare = function countedPrepare(sql, ...rest) {
  counts.prepare += 1;
  const statement = prepare.call(this, sql, ...rest);
  const key = sql.replace(/\s+/g, ' ').slice(0, 100);
  for (const method of ['run', 'all', 'get']) {
    const original = statement[method];
    statement[method] = function counted(...params) {
      counts[method] += 1;
      const started = process.hrtime.bigint();
      try {
        return original.apply(this, params);
      } finally {
        const entry = (bySql[key] ??= { n: 0, ns: 0 });
        entry.n += 1;
        entry.ns += Number(process.hrtime.bigint() - started);
      }
    };
  }
  return statement;
};
setInterval(
  () => writeFileSync(process.env.STATEMENT_COUNTS_FILE, JSON.stringify({ ...counts, bySql })),
  50,
).unref();

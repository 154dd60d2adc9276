// Preloaded into the app by statements.mjs (node -r): counts better-sqlite3 prepares and
// statement executions and writes the totals to STATEMENT_COUNTS_FILE every 50 ms.
const { writeFileSync } = require('node:fs');
const Database = require('better-sqlite3');

const counts = { prepare: 0, run: 0, all: 0, get: 0 };
const prepare = Database.prototype.prepare;
Database.prototype.prepare = function countedPrepare(...args) {
  counts.prepare += 1;
  const statement = prepare.apply(this, args);
  for (const method of ['run', 'all', 'get']) {
    const original = statement[method];
    statement[method] = function counted(...params) {
      counts[method] += 1;
      return original.apply(this, params);
    };
  }
  return statement;
};
setInterval(
  () => writeFileSync(process.env.STATEMENT_COUNTS_FILE, JSON.stringify(counts)),
  50,
).unref();

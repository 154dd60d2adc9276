// Renders the bench's figures: bench/RESULTS.md (keeping its hand-written analysis) and
// bench/latency.svg (grouped bars, drawn by hand so the bench needs no charting package).
import { existsSync, readFileSync } from 'node:fs';

/** Everything from this line on in RESULTS.md is written by hand; the bench keeps it. */
export const ANALYSIS_MARKER = '<!-- Written by hand from here on: npm run bench keeps it. -->';

const ms = (value) => (Number.isFinite(value) ? `${value.toFixed(value < 10 ? 2 : 1)} ms` : '–');
const signedMs = (value) => (value >= 0 ? `+${ms(value)}` : `−${ms(-value)}`);
const mib = (value) => `${value.toFixed(0)} MiB`;

const ratioText = (ratio) => `${ratio.toFixed(ratio < 0.1 ? 3 : 2)}×`;

export function renderResults({ machine, settings, scenarios, skipped, boots, profile, previous }) {
  const baseline = scenarios.find((s) => s.id === 'a');
  const peer = scenarios.find((s) => s.id === 'p');
  const rows = scenarios.map((s) => {
    const closed = s.closed;
    const failures = closed.failures + s.fixed.failures;
    return [
      `(${s.id}) ${s.title}${failures ? ` **(${failures} failed requests: ${JSON.stringify(closed.statusCodes)})**` : ''}`,
      closed.requestsPerSecond.toFixed(0),
      peer ? ratioText(closed.requestsPerSecond / peer.closed.requestsPerSecond) : '–',
      ratioText(closed.requestsPerSecond / baseline.closed.requestsPerSecond),
      `${(s.cpuMsPerRequest * 1000).toFixed(0)} µs`,
      ms(closed.p50),
      ms(closed.p99),
      peer ? ratioText(closed.p99 / peer.closed.p99) : '–',
      `${mib(s.rss.mib)}`,
      ms(s.fixed.p50),
      ms(s.fixed.p99),
      peer ? signedMs(s.fixed.p99 - peer.fixed.p99) : '–',
    ];
  });
  for (const { id, title, reason } of skipped) {
    rows.push([`(${id}) ${title}: **not run**, ${reason}`, ...Array(11).fill('')]);
  }
  const table = [
    `| scenario | req/s | ratio to (p) | ratio to (a) | CPU per request | p50 | p99 | p99 ratio to (p) | peak RSS | p50 at ${settings.rate}/s | p99 at ${settings.rate}/s | p99 at ${settings.rate}/s minus (p)'s |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((cells) => `| ${cells.join(' | ')} |`),
  ].join('\n');
  const bootTable = [
    `| process | boot to /health/live, median of ${settings.boots} | each boot | CPU used to boot (median) | RSS idle, ${settings.idleSettleMs / 1000} s after boot (median) |`,
    '|---|---:|---|---:|---:|',
    ...(boots ?? []).map(
      (b) =>
        `| ${b.label} | ${b.bootMs.toFixed(0)} ms | ${b.bootsMs.join(', ')} ms | ${b.bootCpuMs ?? '–'} ms | ${mib(b.idleMib)} |`,
    ),
  ].join('\n');

  const generated = `# Benchmark results

Written by \`npm run bench\` (bench/run.mjs) on ${machine.date}. Run it again to refresh the
figures; the analysis at the end is written by hand and kept across runs.

## Machine

- CPU: ${machine.cpuModel}, ${machine.cores} cores as Node sees them; ${machine.memoryGiB} GiB RAM
- Node ${machine.node} on ${machine.os}
- Other work on the machine during the run: ${machine.otherCpuPercent} % of its ${machine.cores} cores were busy
  with processes outside the bench's own process tree (PostgreSQL and Redis count here during
  (d)); load average (1 min) ${machine.loadStart} at the start${Number(machine.otherCpuPercent) > 10 ? '. **This run shared the machine: treat the figures as a lower bound**' : ''}.

## Set-up

- The built app (\`node ${settings.nodeArgs.join(' ')} dist/main.js\`, the V8 flags of
  \`npm run start:prod\` and the Dockerfile), one process per configuration, on 127.0.0.1 with
  NODE_ENV=development, LOG_LEVEL=warn, SQLite in a temporary directory (WAL) unless noted, and
  rate limits raised to ${settings.raisedLimit.toLocaleString('en-US')} per window (still enforced: every
  send still counts against them). DEDUPE_WINDOW=0, and every send has its own text, spread over
  ${settings.phoneNumbers.length} valid US numbers.
- Load: autocannon ${settings.autocannonVersion} (programmatic) in the bench's own process. Per scenario: ${settings.warmupSeconds} s
  warm-up (discarded), then **${settings.seconds} s closed loop with ${settings.connections} connections** (req/s, CPU and the
  p50/p99 columns), then **${settings.rateSeconds} s at a fixed ${settings.rate} req/s on ${settings.rateConnections} connections** (the last
  three columns).
- Twilio stub: bench/twilio-stub.mjs in its own process, answering a Messages create with 201 and
  a MessageInstance after ${settings.stubDelayMs} ms. (p) is bench/peer.mjs, the seed guide's shape: express, a
  presence check and \`messages.create\` through the SDK's default HTTP client, to the same stub.
- CPU per request: user + system time of the app's process (/proc/<pid>/stat) over the closed
  loop, divided by the 2xx answers in it. It does not count waiting for a core, so it moves
  less than req/s when other work shares the machine.
- Percentiles come from every 2xx response's own duration (autocannon's 'response' event), not
  from autocannon's histogram, which keeps whole milliseconds.
- Peak RSS: the app process's ${scenarios[0]?.rss.method ?? 'VmHWM'}, reset at the start of each scenario
  (warm-up, closed loop and fixed rate together).

## Results

${table}

**Boot and idle memory**

${bootTable}

![p50, p97.5 and p99 latency per scenario, closed loop](latency.svg)

How to read the fixed-rate columns. autocannon's \`overallRate\` is a per-second budget, not a
timer: each connection sends back to back until it has spent its share for the current second,
then waits for the next second, so every second starts with a burst of up to ${settings.rateConnections} requests. It is a
paced closed loop, not a true open-loop arrival process. autocannon's own coordinated-omission
correction is off (\`ignoreCoordinatedOmission\`): it assumes a 1 ms interval whatever the rate.

${scenarios
  .map((s) => s.note && `- (${s.id}) ${s.note}`)
  .filter(Boolean)
  .join('\n')}

## Profile of (c)

${profile.description}

${profile.summary}
`;

  const kept = previous?.includes(ANALYSIS_MARKER)
    ? previous.slice(previous.indexOf(ANALYSIS_MARKER))
    : `${ANALYSIS_MARKER}\n\n## The three biggest costs in (b)\n\nNot written yet: read the profile above.\n`;
  return `${generated}\n${kept}`;
}

export function readPrevious(path) {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

const SERIES = [
  { key: 'p50', label: 'p50', color: '#4c78a8' },
  { key: 'p97_5', label: 'p97.5', color: '#f58518' },
  { key: 'p99', label: 'p99', color: '#e45756' },
];

function niceStep(rough) {
  const power = 10 ** Math.floor(Math.log10(rough));
  const fraction = rough / power;
  return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
}

const escapeXml = (text) =>
  text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]);

/** Grouped bars: one group per scenario, one bar per percentile, closed-loop figures. */
export function renderLatencySvg({ scenarios, settings, machine }) {
  const width = 760;
  const height = 400;
  const margin = { top: 56, right: 20, bottom: 70, left: 64 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const max = Math.max(...scenarios.flatMap((s) => SERIES.map(({ key }) => s.closed[key])));
  const step = niceStep(max / 5);
  const top = Math.ceil(max / step) * step;
  const y = (value) => margin.top + plotHeight - (value / top) * plotHeight;
  const groupWidth = plotWidth / scenarios.length;
  const barWidth = Math.min(44, (groupWidth * 0.75) / SERIES.length);

  const parts = [];
  for (let tick = 0; tick <= top + step / 2; tick += step) {
    parts.push(
      `<line x1="${margin.left}" x2="${width - margin.right}" y1="${y(tick)}" y2="${y(tick)}" stroke="#ddd"/>`,
      `<text x="${margin.left - 8}" y="${y(tick) + 4}" text-anchor="end">${+tick.toFixed(3)}</text>`,
    );
  }
  scenarios.forEach((s, i) => {
    const groupX = margin.left + i * groupWidth + (groupWidth - barWidth * SERIES.length) / 2;
    SERIES.forEach(({ key, color }, j) => {
      const value = s.closed[key];
      const x = groupX + j * barWidth;
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y(value).toFixed(1)}" width="${(barWidth - 3).toFixed(1)}" height="${(y(0) - y(value)).toFixed(1)}" fill="${color}"><title>(${s.id}) ${SERIES[j].label}: ${ms(value)}</title></rect>`,
        `<text x="${(x + (barWidth - 3) / 2).toFixed(1)}" y="${(y(value) - 4).toFixed(1)}" text-anchor="middle" font-size="10">${value.toFixed(value < 10 ? 1 : 0)}</text>`,
      );
    });
    const centre = margin.left + (i + 0.5) * groupWidth;
    parts.push(
      `<text x="${centre}" y="${height - margin.bottom + 18}" text-anchor="middle" font-weight="bold">(${s.id})</text>`,
      `<text x="${centre}" y="${height - margin.bottom + 34}" text-anchor="middle" font-size="11">${escapeXml(s.short)}</text>`,
      `<text x="${centre}" y="${height - margin.bottom + 48}" text-anchor="middle" font-size="11" fill="#555">${s.closed.requestsPerSecond.toFixed(0)} req/s</text>`,
    );
  });
  SERIES.forEach(({ label, color }, j) => {
    const x = width - margin.right - (SERIES.length - j) * 70;
    parts.push(
      `<rect x="${x}" y="14" width="12" height="12" fill="${color}"/>`,
      `<text x="${x + 16}" y="24">${label}</text>`,
    );
  });

  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="#fff"/>
<text x="${margin.left}" y="24" font-size="15" font-weight="bold">Latency per scenario (ms)</text>
<text x="${margin.left}" y="42" fill="#555">closed loop, ${settings.connections} connections, ${settings.seconds} s each; ${escapeXml(machine.cores + ' cores, Node ' + machine.node + ', ' + machine.date.slice(0, 10))}</text>
<text transform="translate(16 ${margin.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">milliseconds</text>
${parts.join('\n')}
<line x1="${margin.left}" x2="${width - margin.right}" y1="${y(0)}" y2="${y(0)}" stroke="#333"/>
</svg>
`;
}

#!/usr/bin/env node
// Summarises a V8 .cpuprofile (node --cpu-prof) as Markdown: where the busy time went by
// function and by module, both as self time and as time on the stack.
//   node bench/profile-summary.mjs <file.cpuprofile> [--requests N] [--top N] [--from µs --to µs]
// --from/--to keep the samples stamped inside that window (V8's monotonic clock, in µs).
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);
/** On nearly every stack, so "time on the stack" says nothing about them. */
const RUNNERS = new Set([
  '(root)',
  '(native or V8 builtin)',
  'node:internal/process',
  'node:internal/timers',
]);

/** The package, Node module or app file a call frame belongs to. */
export function moduleOf({ functionName, url }) {
  if (SPECIAL.has(functionName)) return functionName;
  if (!url) return '(native or V8 builtin)';
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  const inPackage = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (inPackage) return inPackage[1];
  const inApp = /\/(dist|src)\/(.+)$/.exec(url);
  return inApp ? `app: ${inApp[1]}/${inApp[2]}` : url;
}

function frameLabel({ functionName, url, lineNumber }) {
  const where = url ? `${url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${lineNumber + 1}` : '';
  return { name: functionName || '(anonymous)', where };
}

/**
 * Milliseconds per node id, using the DevTools convention: sample i lasts timeDeltas[i + 1].
 * With a window, only samples stamped inside it count.
 */
function selfTimes({ samples, timeDeltas, startTime }, window) {
  const self = new Map();
  let stamp = startTime;
  for (let i = 0; i < samples.length; i++) {
    stamp += timeDeltas[i];
    if (window && (stamp < window.from || stamp > window.to)) continue;
    const ms = (timeDeltas[i + 1] ?? 0) / 1000;
    self.set(samples[i], (self.get(samples[i]) ?? 0) + ms);
  }
  return self;
}

function addTo(map, key, ms) {
  map.set(key, (map.get(key) ?? 0) + ms);
}

function top(map, n) {
  return [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
}

export function summarizeProfile(profile, { requests, window, topN = 15 } = {}) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parentOf.set(child, node.id);
  const overlaps = window && window.from < profile.endTime && window.to > profile.startTime;
  if (window && !overlaps) throw new Error('the window does not overlap the profile');
  const self = selfTimes(profile, window);

  let totalMs = 0;
  const special = new Map();
  const selfByFunction = new Map();
  const selfByModule = new Map();
  const stackByModule = new Map();
  const stackByAppFunction = new Map();
  const frames = new Map();

  for (const [id, ms] of self) {
    const node = byId.get(id);
    const frame = node.callFrame;
    totalMs += ms;
    if (SPECIAL.has(frame.functionName)) {
      addTo(special, frame.functionName, ms);
      if (frame.functionName === '(idle)') continue;
    }
    const { name, where } = frameLabel(frame);
    const key = `${name} ${where}`;
    frames.set(key, { name, where, module: moduleOf(frame) });
    addTo(selfByFunction, key, ms);
    addTo(selfByModule, moduleOf(frame), ms);

    // Time on the stack: each module and app function counts once per sample, however deep.
    const modules = new Set();
    const appFunctions = new Set();
    for (let at = id; at !== undefined; at = parentOf.get(at)) {
      const callFrame = byId.get(at).callFrame;
      const module = moduleOf(callFrame);
      modules.add(module);
      if (module.startsWith('app: ')) {
        const label = frameLabel(callFrame);
        appFunctions.add(`${label.name} ${label.where}`);
        frames.set(`${label.name} ${label.where}`, { ...label, module });
      }
    }
    for (const module of modules) if (!RUNNERS.has(module)) addTo(stackByModule, module, ms);
    for (const fn of appFunctions) addTo(stackByAppFunction, fn, ms);
  }

  const busyMs = totalMs - (special.get('(idle)') ?? 0);
  const pct = (ms) => `${((100 * ms) / busyMs).toFixed(1)} %`;
  const perRequest = (ms) => (requests ? `${((1000 * ms) / requests).toFixed(0)} µs` : '');
  const header = requests
    ? '| | self | share of busy CPU | per request |\n|---|---:|---:|---:|'
    : '| | self | share of busy CPU | |\n|---|---:|---:|---|';
  const row = (label, ms) => `| ${label} | ${ms.toFixed(0)} ms | ${pct(ms)} | ${perRequest(ms)} |`;
  const fnLabel = (key) => {
    const { name, where } = frames.get(key);
    return `\`${name}\` ${where ? `(${where})` : ''}`;
  };

  const lines = [
    `${(totalMs / 1000).toFixed(1)} s sampled, ${(busyMs / 1000).toFixed(1)} s of it busy (not idle)` +
      `${requests ? `, ${requests} requests: ${perRequest(busyMs)} busy per request` : ''}.` +
      ' Busy is sampled wall time on the main thread: it includes waits for a core when other' +
      ' processes share the machine, and synchronous I/O (better-sqlite3) shows as the JS' +
      ` function that called it. Garbage collector ${pct(special.get('(garbage collector)') ?? 0)},` +
      ` "(program)" (native code outside JS frames) ${pct(special.get('(program)') ?? 0)} of busy time.`,
    '',
    `**Top ${topN} functions by self time**`,
    '',
    header.replace('| |', '| function |'),
    ...top(selfByFunction, topN).map(([key, ms]) =>
      row(`${fnLabel(key)} — ${frames.get(key).module}`, ms),
    ),
    '',
    `**Self time by module** (package, Node internals or app file)`,
    '',
    header.replace('| |', '| module |'),
    ...top(selfByModule, topN).map(([module, ms]) => row(module, ms)),
    '',
    `**Time on the stack by module** (a module counts once per sample, however deep; middleware that calls next() synchronously, such as express, pino-http or the metrics middleware, also carries the work beneath it)`,
    '',
    header.replace('| |', '| module |').replace('self', 'on stack'),
    ...top(stackByModule, topN).map(([module, ms]) => row(module, ms)),
    '',
    `**Time on the stack by app function** (compiled src/, i.e. dist/)`,
    '',
    header.replace('| |', '| function |').replace('self', 'on stack'),
    ...top(stackByAppFunction, topN).map(([key, ms]) => row(fnLabel(key), ms)),
  ];
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [file, ...rest] = process.argv.slice(2);
  if (!file) {
    console.error(
      'usage: node bench/profile-summary.mjs <file.cpuprofile> [--requests N] [--top N]',
    );
    process.exit(2);
  }
  const option = (name) => {
    const at = rest.indexOf(name);
    return at >= 0 ? Number(rest[at + 1]) : undefined;
  };
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const from = option('--from');
  const to = option('--to');
  const window = from !== undefined && to !== undefined ? { from, to } : undefined;
  console.log(
    summarizeProfile(profile, {
      requests: option('--requests'),
      window,
      topN: option('--top') ?? 15,
    }),
  );
}

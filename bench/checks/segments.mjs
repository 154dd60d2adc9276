#!/usr/bin/env node
// Time of buildMessageBody (sanitise, count segments, hash) for typical and long texts:
//   node bench/checks/segments.mjs [dist directory, default ./dist]
// Best of 7 rounds of 200 calls after a warm-up. A measurement, not a test.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const dist = resolve(process.argv[2] ?? 'dist');
const { buildMessageBody } = await import(
  pathToFileURL(`${dist}/tools/templates/message-body.js`).href
);
const texts = {
  'English, 55 characters': 'Hi Maria, your copay card is ready: https://example.org',
  'English, 330 characters': 'Your appointment is confirmed. '.repeat(11).slice(0, 330),
  'GSM-7, 1,600 characters': `${'a'.repeat(1590)}{}[]€~^|\\x`,
  'Spanish with á/í/ó, 148 characters': 'Su cita está confirmada para mañana. '.repeat(4),
  'Russian, 1,600 characters': 'Ваш рецепт готов. '.repeat(89).slice(0, 1600),
  'Chinese, 60 characters': '您的处方已准备好，药房营业至晚上九点。'.repeat(4).slice(0, 60),
  'emoji, 150 characters': `${'Thank you 🙂 '.repeat(12)}`.slice(0, 150),
};
for (const [name, text] of Object.entries(texts)) {
  for (let i = 0; i < 50; i++) buildMessageBody(text);
  let best = Infinity;
  for (let round = 0; round < 7; round++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < 200; i++) buildMessageBody(text);
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 200 / 1000);
  }
  const { encoding, segments } = buildMessageBody(text);
  console.log(
    `${name.padEnd(36)} ${best.toFixed(1).padStart(8)} µs  ${encoding}, ${segments} segments`,
  );
}

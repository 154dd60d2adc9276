import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TOOLS, sendAppointmentConfirmationTool } from '../default-tools.js';
import { en } from './defaults/en.js';
import { es } from './defaults/es.js';
import { assertNoOptOutReplies, optOutAskedFor } from './reply-words.js';
import { TemplateCatalog } from './template-catalog.js';

const FILES = { en, es };

describe('replies a template asks for', () => {
  describe.each(Object.entries(FILES))('the %s templates', (_language, file) => {
    it.each(DEFAULT_TOOLS.map((tool) => [tool.name, tool] as const))(
      '%s never asks for an opt-out keyword, and says every reply it declares',
      (_name, tool) => {
        const entry = file[tool.name];
        expect(() => assertNoOptOutReplies(tool, entry)).not.toThrow();
        const text = typeof entry === 'string' ? entry : entry?.text;
        for (const reply of Object.keys(tool.replies ?? {})) {
          expect(text).toMatch(new RegExp(`\\b(Reply|Responda)\\b[^.]*\\b${reply}\\b`));
        }
      },
    );
  });

  it.each([
    ['Reply CANCEL to cancel your appointment', 'CANCEL'],
    ['Reply "stop" to skip this reminder', 'STOP'],
    ['Text END when you are done', 'END'],
    ['Reply opt out to skip', 'OPT OUT'],
    ['Responda CANCEL para cancelar la cita', 'CANCEL'],
  ])('finds the opt-out keyword in "%s"', (text, keyword) => {
    expect(optOutAskedFor(text)).toBe(keyword);
  });

  it.each([
    'Reply STOP to stop texts, HELP for help',
    'Reply STOP to unsubscribe',
    'Responda STOP para dejar de recibir mensajes',
    'Reply C to confirm or R to reschedule',
  ])('allows "%s"', (text) => {
    expect(optOutAskedFor(text)).toBeNull();
  });

  it('refuses a tool that declares a consent keyword as a reply', () => {
    const tool = { ...sendAppointmentConfirmationTool, replies: { YES: 'appointment.confirmed' } };
    expect(() => assertNoOptOutReplies(tool, 'Reply YES to confirm')).toThrow(
      /declares the reply "YES", a consent keyword/,
    );
  });

  it('stops the boot on a TEMPLATES_DIR file that asks for one, naming the file and the tool', () => {
    const dir = mkdtempSync(join(tmpdir(), 'reply-words-'));
    try {
      writeFileSync(
        join(dir, 'en.json'),
        JSON.stringify({
          send_appointment_confirmation:
            'Hi {{first_name}}, see you {{appointment_time}}. Reply CANCEL to cancel the appointment.',
        }),
      );
      expect(() => TemplateCatalog.load(DEFAULT_TOOLS, dir)).toThrow(
        `${join(dir, 'en.json')}: Template of send_appointment_confirmation asks the patient to reply CANCEL for something other than stopping texts`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

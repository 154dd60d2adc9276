import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildMessageBody } from './message-body.js';
import { SendAppointmentConfirmationDto } from '../dto/send-appointment-confirmation.dto.js';
import { SendCopayCardDto } from '../dto/send-copay-card.dto.js';
import { SendPrescriptionReminderDto } from '../dto/send-prescription-reminder.dto.js';
import { SendPriorAuthUpdateDto } from '../dto/send-prior-auth-update.dto.js';
import { SendSmsDto } from '../dto/send-sms.dto.js';
import { ToolRequestDto } from '../dto/tool-request.dto.js';
import { DEFAULT_TOOLS } from '../default-tools.js';
import { defineTool, type ToolDefinition } from '../tool-definition.js';
import { MessageRenderer } from './message-renderer.js';

const PHONE = '+12025550143';

function tool(name: string): ToolDefinition {
  const found = DEFAULT_TOOLS.find((t) => t.name === name);
  if (!found) throw new Error(`DEFAULT_TOOLS has no ${name}`);
  return found;
}

const copayCard = (language?: string) =>
  Object.assign(new SendCopayCardDto(), {
    phone_number: PHONE,
    patient_name: 'Jane Doe',
    copay_url: 'https://copay.example.com/card/abc123',
    language,
  });

const appointment = (language?: string, patientName = 'Jane Doe') =>
  Object.assign(new SendAppointmentConfirmationDto(), {
    phone_number: PHONE,
    patient_name: patientName,
    appointment_time: '2026-12-02T15:30:00-05:00',
    provider_name: 'Dr. Patel',
    location: 'Main Street Clinic, Suite 200',
    language,
  });

/** Every shipped tool, each with all its optional fields and with none, in both languages. */
const CASES: Array<[tool: string, dto: ToolRequestDto, en: string, es: string]> = [
  [
    'send_sms',
    Object.assign(new SendSmsDto(), { phone_number: PHONE, message: 'Your results are in.' }),
    'Your results are in.',
    'Your results are in.',
  ],
  [
    'send_copay_card',
    copayCard(),
    'Hi Jane, here is your copay card: https://copay.example.com/card/abc123',
    'Hola Jane, le enviamos su tarjeta de copago: https://copay.example.com/card/abc123',
  ],
  [
    'send_prescription_reminder',
    Object.assign(new SendPrescriptionReminderDto(), {
      phone_number: PHONE,
      patient_name: 'Jane Doe',
      medication_name: 'Lisinopril 10 mg',
      refill_date: '2026-12-02',
      pharmacy_name: 'Main Street Pharmacy',
    }),
    'Hi Jane, this is a reminder to refill your Lisinopril 10 mg by Wednesday, December 2 at Main Street Pharmacy. Reply 1 to request a refill.',
    'Hola Jane, le recordamos resurtir su receta de Lisinopril 10 mg antes del miércoles, 2 de diciembre en Main Street Pharmacy. Responda 1 para pedir un resurtido.',
  ],
  [
    'send_prescription_reminder',
    Object.assign(new SendPrescriptionReminderDto(), {
      phone_number: PHONE,
      patient_name: 'Jane Doe',
      medication_name: 'Lisinopril 10 mg',
    }),
    'Hi Jane, this is a reminder to refill your Lisinopril 10 mg. Reply 1 to request a refill.',
    'Hola Jane, le recordamos resurtir su receta de Lisinopril 10 mg. Responda 1 para pedir un resurtido.',
  ],
  ...(
    [
      [
        'approved',
        'has been approved. You can fill your prescription as usual.',
        'fue aprobada. Puede surtir su receta como de costumbre.',
      ],
      [
        'denied',
        'was not approved. Your care team will contact you about next steps.',
        'no fue aprobada. Su equipo de atención médica se comunicará con usted sobre los próximos pasos.',
      ],
      [
        'pending',
        'is still under review. We will text you when there is an update.',
        'sigue en revisión. Le avisaremos por mensaje de texto cuando haya novedades.',
      ],
    ] as const
  ).map(([status, en, es]): [string, ToolRequestDto, string, string] => [
    'send_prior_auth_update',
    Object.assign(new SendPriorAuthUpdateDto(), {
      phone_number: PHONE,
      patient_name: 'Jane Marie Doe',
      status,
      medication_name: 'Ozempic',
    }),
    `Hi Jane, your prior authorization request ${en}`,
    `Hola Jane, su solicitud de autorización previa ${es}`,
  ]),
  [
    'send_appointment_confirmation',
    appointment(),
    'Hi Jane, your appointment with Dr. Patel is confirmed for Wednesday, December 2, 2026 at 3:30 PM at Main Street Clinic, Suite 200. Reply C to confirm or R to reschedule.',
    'Hola Jane, su cita con Dr. Patel queda confirmada para el miércoles, 2 de diciembre de 2026 a las 15:30 en Main Street Clinic, Suite 200. Responda C para confirmar o R para cambiar la cita.',
  ],
  [
    'send_appointment_confirmation',
    Object.assign(new SendAppointmentConfirmationDto(), {
      phone_number: PHONE,
      patient_name: 'Jane Doe',
      appointment_time: '2026-12-05T13:05:00-05:00',
    }),
    'Hi Jane, your appointment is confirmed for Saturday, December 5, 2026 at 1:05 PM. Reply C to confirm or R to reschedule.',
    'Hola Jane, su cita queda confirmada para el sábado, 5 de diciembre de 2026 a las 13:05. Responda C para confirmar o R para cambiar la cita.',
  ],
];

describe('MessageRenderer', () => {
  const renderer = new MessageRenderer(DEFAULT_TOOLS, { dir: undefined });
  const render = (name: string, dto: ToolRequestDto, language?: string) =>
    renderer.render(tool(name), { ...dto, language });

  describe.each(CASES)('%s', (name, dto, english, spanish) => {
    it('renders English by default and for en', () => {
      expect(render(name, dto)).toMatchObject({ text: english, language: 'en' });
      expect(render(name, dto, 'en')).toMatchObject({ text: english, language: 'en' });
    });

    it('renders Spanish for es', () => {
      expect(render(name, dto, 'es')).toMatchObject({ text: spanish, language: 'es' });
    });
  });

  it('never names the drug nor more than the first name in a prior authorization text', () => {
    const dto = CASES.find(([name]) => name === 'send_prior_auth_update')?.[1] as ToolRequestDto;
    for (const language of ['en', 'es']) {
      expect(render('send_prior_auth_update', dto, language).text).not.toMatch(/Ozempic|Marie|Doe/);
    }
  });

  it('says "a la" for one o\'clock in Spanish', () => {
    const dto = Object.assign(appointment('es'), { appointment_time: '2026-12-02T01:30:00-05:00' });

    expect(renderer.render(tool('send_appointment_confirmation'), dto).text).toContain(
      'miércoles, 2 de diciembre de 2026 a la 1:30 en',
    );
  });

  it.each([
    ['ES', 'es'],
    ['es-MX', 'es'],
    ['es_US', 'es'],
    ['EN', 'en'],
    ['en-GB', 'en'],
  ])('reads %j as %j without a notice', (requested, language) => {
    expect(renderer.render(tool('send_copay_card'), copayCard(requested))).toEqual({
      text: expect.any(String),
      language,
      version: expect.stringMatching(/^[0-9a-f]{12}$/),
    });
  });

  it.each(['fr', 'zh-Hant', 'tlh'])(
    'falls back to English for %j and says what was asked for',
    (requested) => {
      expect(renderer.render(tool('send_copay_card'), copayCard(requested))).toMatchObject({
        text: 'Hi Jane, here is your copay card: https://copay.example.com/card/abc123',
        language: 'en',
        requestedLanguage: requested,
      });
    },
  );

  it('falls back to English for a tool that has no Spanish template', () => {
    const englishOnly = labReadyTool('Your {{lab}} results are ready.');
    const withLab = new MessageRenderer([...DEFAULT_TOOLS, englishOnly], { dir: undefined });

    expect(
      withLab.render(
        englishOnly,
        Object.assign(new LabReadyDto(), { lab: 'blood', language: 'es' }),
      ),
    ).toMatchObject({
      text: 'Your blood results are ready.',
      language: 'en',
      requestedLanguage: 'es',
    });
  });

  describe('encoding of Spanish texts', () => {
    it('stays GSM-7 with é, ñ, ü, ¿ and ¡', () => {
      const text = render('send_appointment_confirmation', appointment(), 'es').text;
      expect(text).toContain('miércoles');

      // Two segments with the reply it asks for, still GSM-7.
      expect(buildMessageBody(text)).toMatchObject({ encoding: 'GSM-7', segments: 2 });
      expect(buildMessageBody('¿Señor Müller? ¡Sí, mañana!')).toMatchObject({
        encoding: 'UCS-2', // the í of "Sí"
      });
      expect(buildMessageBody('¿Señor Müller? ¡Claro, mañana!')).toMatchObject({
        encoding: 'GSM-7',
      });
    });

    it('turns UCS-2 for á, í, ó or ú, which costs more segments', () => {
      const priorAuth = CASES.find(([name]) => name === 'send_prior_auth_update')?.[1];
      const text = render('send_prior_auth_update', priorAuth as ToolRequestDto, 'es').text;
      expect(text).toContain('autorización');

      // 102 characters: two UCS-2 segments of at most 67; without the ó, one GSM-7 segment.
      expect(text).toHaveLength(102);
      expect(buildMessageBody(text)).toMatchObject({ encoding: 'UCS-2', segments: 2 });
      expect(buildMessageBody(text.replace('ó', 'o'))).toMatchObject({
        encoding: 'GSM-7',
        segments: 1,
      });

      const maria = render('send_appointment_confirmation', appointment(undefined, 'María'), 'es');
      expect(buildMessageBody(maria.text).encoding).toBe('UCS-2');
    });
  });
});

describe('TEMPLATES_DIR', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'templates-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const write = (file: string, content: unknown) =>
    writeFileSync(
      join(dir, file),
      typeof content === 'string' ? content : JSON.stringify(content, null, 2),
    );
  const load = () => new MessageRenderer(DEFAULT_TOOLS, { dir });

  it('replaces a default template tool by tool, in its language only', () => {
    write('es.json', { send_copay_card: '{{first_name}}, su tarjeta: {{copay_url}}' });
    const renderer = load();

    expect(renderer.render(tool('send_copay_card'), copayCard('es')).text).toBe(
      'Jane, su tarjeta: https://copay.example.com/card/abc123',
    );
    expect(renderer.render(tool('send_copay_card'), copayCard('en')).text).toBe(
      'Hi Jane, here is your copay card: https://copay.example.com/card/abc123',
    );
    expect(renderer.render(tool('send_appointment_confirmation'), appointment('es')).text).toMatch(
      /^Hola Jane, su cita con Dr. Patel queda confirmada/,
    );
  });

  it("names the template's version: its words, not the file's key order nor the patient", () => {
    const shipped = load().render(tool('send_copay_card'), copayCard('es')).version;
    const other = load().render(tool('send_copay_card'), {
      ...copayCard('es'),
      patient_name: 'Ana Ruiz',
    } as ToolRequestDto).version;
    expect(other).toBe(shipped);
    expect(load().render(tool('send_copay_card'), copayCard('en')).version).not.toBe(shipped);

    write('es.json', { send_copay_card: '{{first_name}}, su tarjeta: {{copay_url}}' });
    expect(load().render(tool('send_copay_card'), copayCard('es')).version).not.toBe(shipped);

    const choice = { approved: 'approved', denied: 'declined', pending: 'pending' };
    const reordered = { pending: 'pending', denied: 'declined', approved: 'approved' };
    const prior = Object.assign(new SendPriorAuthUpdateDto(), {
      phone_number: PHONE,
      patient_name: 'Jane',
      status: 'denied',
    });
    const versionOf = (entry: object) => {
      write('en.json', { send_prior_auth_update: entry });
      return load().render(tool('send_prior_auth_update'), prior).version;
    };
    const first = versionOf({ text: '{{first_name}}: {{status}}.', status: choice });
    expect(versionOf({ status: reordered, text: '{{first_name}}: {{status}}.' })).toBe(first);
    expect(
      versionOf({ text: '{{first_name}}: {{status}}.', status: { ...choice, denied: 'no' } }),
    ).not.toBe(first);
  });

  it('replaces phrases and choices with the template', () => {
    write('en.json', {
      send_prior_auth_update: {
        text: '{{first_name}}: prior authorization {{status}}.',
        status: { approved: 'approved', denied: 'declined', pending: 'pending' },
      },
    });
    const dto = Object.assign(new SendPriorAuthUpdateDto(), {
      phone_number: PHONE,
      patient_name: 'Jane',
      status: 'denied',
    });

    expect(load().render(tool('send_prior_auth_update'), dto).text).toBe(
      'Jane: prior authorization declined.',
    );
  });

  it('adds a language, with dates spelled in it, and English for the tools it leaves out', () => {
    write('fr.json', {
      send_appointment_confirmation: {
        text: 'Bonjour {{first_name}}, votre rendez-vous est confirmé pour le {{appointment_time}}.',
      },
    });
    const renderer = load();

    expect(renderer.render(tool('send_appointment_confirmation'), appointment('fr'))).toMatchObject(
      {
        text: 'Bonjour Jane, votre rendez-vous est confirmé pour le mercredi 2 décembre 2026, 15:30.',
        language: 'fr',
      },
    );
    expect(renderer.render(tool('send_copay_card'), copayCard('fr-CA'))).toMatchObject({
      language: 'en',
      requestedLanguage: 'fr-CA',
    });
    expect(renderer.languages().sort()).toEqual(['en', 'es', 'fr']);
  });

  it('prefers a regional file to its language: es-MX.json for es-MX, es for es-US', () => {
    write('es-MX.json', {
      send_copay_card: 'Hola {{first_name}}, aquí está su tarjeta: {{copay_url}}',
    });
    const renderer = load();

    expect(renderer.render(tool('send_copay_card'), copayCard('es-mx'))).toMatchObject({
      text: 'Hola Jane, aquí está su tarjeta: https://copay.example.com/card/abc123',
      language: 'es-MX',
    });
    expect(renderer.render(tool('send_copay_card'), copayCard('es-US')).language).toBe('es');
  });

  it('leaves files other than .json alone', () => {
    write('README.md', '# Our templates');
    mkdirSync(join(dir, 'drafts.json'));

    expect(() => load()).not.toThrow();
  });

  describe('fails the boot, naming the file and the problem', () => {
    const failure = () => {
      try {
        load();
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('expected the templates to be refused');
    };

    it('for a variable the tool does not provide', () => {
      write('es.json', { send_copay_card: 'Hola {{first_name}}: {{card_url}}' });

      expect(failure()).toBe(
        `${join(dir, 'es.json')}: Template of send_copay_card uses {{card_url}}, which the tool does not provide (it provides: first_name, copay_url)`,
      );
    });

    it('for a variable in a phrase', () => {
      write('es.json', {
        send_prescription_reminder: {
          text: 'Hola {{first_name}}, {{medication_name}}{{pharmacy_phrase}}.',
          pharmacy_phrase: ' en {{pharmacy}}',
        },
      });

      expect(failure()).toBe(
        `${join(dir, 'es.json')}: Template of send_prescription_reminder (phrase "pharmacy_phrase") uses {{pharmacy}}, which the tool does not provide (it provides: first_name, medication_name, refill_date, pharmacy_name)`,
      );
    });

    it('for a status without words', () => {
      write('en.json', {
        send_prior_auth_update: {
          text: 'Your request {{status}}.',
          status: { approved: 'was approved', denied: 'was denied' },
        },
      });

      expect(failure()).toBe(
        `${join(dir, 'en.json')}: Template of send_prior_auth_update gives no text for status "pending" (it must give one for each of: approved, denied, pending)`,
      );
    });

    it('for a tool that is not registered', () => {
      write('es.json', { send_fax: 'Hola' });

      expect(failure()).toBe(
        `${join(dir, 'es.json')}: there is no tool named "send_fax" (the tools: ${DEFAULT_TOOLS.map((t) => t.name).join(', ')})`,
      );
    });

    it('for a file that is not valid JSON', () => {
      write('es.json', '{ "send_copay_card": "Hola {{first_name}}", }');

      expect(failure()).toMatch(
        new RegExp(`^${escape(join(dir, 'es.json'))}: not valid JSON \\(.+\\)$`),
      );
    });

    it.each([
      ['an array', []],
      ['a string', 'Hola'],
    ])('for a file that holds %s', (_case, content) => {
      write('es.json', JSON.stringify(content));

      expect(failure()).toBe(
        `${join(dir, 'es.json')}: must hold one JSON object of tool name -> template`,
      );
    });

    it('for a file whose name is not a language', () => {
      write('spanish.json', { send_copay_card: 'Hola' });

      expect(failure()).toBe(
        `${join(dir, 'spanish.json')}: the file name must be a language tag, such as es.json or es-MX.json`,
      );
    });

    it('for two files of one language', () => {
      write('es-mx.json', {});
      write('es_MX.json', {});

      expect(failure()).toBe(
        `${join(dir, 'es_MX.json')}: ${join(dir, 'es-mx.json')} is for the same language (es-MX)`,
      );
    });
  });
});

describe('a tool without an English template', () => {
  it('fails the boot, saying where to add one', () => {
    const withoutText = { ...labReadyTool('x'), template: undefined };

    expect(() => new MessageRenderer([withoutText], { dir: undefined })).toThrow(
      'No English template for send_lab_ready: add one to src/tools/templates/defaults/en.ts (or TEMPLATES_DIR/en.json)',
    );
  });

  it('names the registry entry when its own template is broken', () => {
    expect(() => new MessageRenderer([labReadyTool('{{labs}}')], { dir: undefined })).toThrow(
      'the registry entry of send_lab_ready: Template of send_lab_ready uses {{labs}}',
    );
  });
});

class LabReadyDto extends ToolRequestDto {
  lab: string;
}

function labReadyTool(template: string): ToolDefinition {
  return defineTool({
    name: 'send_lab_ready',
    path: 'send-lab-ready',
    summary: 'Lab ready',
    description: 'Test only.',
    label: 'the lab notice',
    requestDto: LabReadyDto,
    template,
    variables: ['lab'],
    toVariables: (dto: LabReadyDto) => ({ lab: dto.lab }),
  });
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

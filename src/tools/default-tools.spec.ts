import { SendAppointmentConfirmationDto } from './dto/send-appointment-confirmation.dto.js';
import { SendCopayCardDto } from './dto/send-copay-card.dto.js';
import { SendPrescriptionReminderDto } from './dto/send-prescription-reminder.dto.js';
import {
  PRIOR_AUTH_STATUSES,
  SendPriorAuthUpdateDto,
  type PriorAuthStatus,
} from './dto/send-prior-auth-update.dto.js';
import { SendSmsDto } from './dto/send-sms.dto.js';
import { MessageRenderer } from './templates/message-renderer.js';
import { DEFAULT_TOOLS } from './default-tools.js';
import type { ToolDefinition } from './tool-definition.js';
import type { ToolRequestDto } from './dto/tool-request.dto.js';
import { ToolRegistry } from './tool-registry.js';
import { exampleDto } from '../../test/support/registry-examples.js';

const PHONE = '+12025550143';

function tool(name: string): ToolDefinition {
  const found = DEFAULT_TOOLS.find((t) => t.name === name);
  if (!found) throw new Error(`DEFAULT_TOOLS has no ${name}`);
  return found;
}

const renderer = new MessageRenderer(DEFAULT_TOOLS, { dir: undefined });

function textOf(name: string, dto: ToolRequestDto): string {
  return renderer.render(tool(name), dto).text;
}

/** The paths agents and platforms were configured with: a shipped tool never moves. */
const SHIPPED_PATHS: Record<string, string> = {
  send_sms: 'send',
  send_copay_card: 'send-copay-card',
  send_prescription_reminder: 'send-prescription-reminder',
  send_prior_auth_update: 'send-prior-auth-update',
  send_appointment_confirmation: 'send-appointment-confirmation',
};

describe('DEFAULT_TOOLS', () => {
  it.each(Object.entries(SHIPPED_PATHS))('still serve %s on /api/sms/%s', (name, path) => {
    expect(tool(name).path).toBe(path);
  });

  it('only use template variables they declare', () => {
    expect(() => ToolRegistry.check(DEFAULT_TOOLS)).not.toThrow();
    expect(() => new MessageRenderer(DEFAULT_TOOLS, { dir: undefined })).not.toThrow();
  });

  describe.each(DEFAULT_TOOLS.map((t) => [t.name, t] as const))('%s', (_name, definition) => {
    it('provides a value for every variable it declares, and no other', () => {
      const dto = exampleDto(definition);

      expect(Object.keys(definition.toVariables(dto, 'en')).sort()).toEqual(
        [...definition.variables].sort(),
      );
    });

    it.each(['en', 'es'])('has its own %s text, with every variable filled in', (language) => {
      const rendered = renderer.render(definition, exampleDto(definition, { language }));

      expect(rendered).toMatchObject({ language, text: expect.stringMatching(/\S/) });
      expect(rendered.requestedLanguage).toBeUndefined();
      expect(rendered.text).not.toMatch(/\{\{|\}\}/);
    });
  });

  describe('send_sms', () => {
    it('sends the message as given', () => {
      const dto = Object.assign(new SendSmsDto(), {
        phone_number: PHONE,
        message: 'Test message from your healthcare team!',
        patient_name: 'Jane Doe',
      });

      expect(textOf('send_sms', dto)).toBe('Test message from your healthcare team!');
    });
  });

  describe('send_copay_card', () => {
    it('greets by first name and gives the link', () => {
      const dto = Object.assign(new SendCopayCardDto(), {
        phone_number: PHONE,
        patient_name: 'Jane Doe',
        copay_url: 'https://copay.example.com/card/abc123',
      });

      expect(textOf('send_copay_card', dto)).toBe(
        'Hi Jane, here is your copay card: https://copay.example.com/card/abc123',
      );
    });
  });

  describe('send_prescription_reminder', () => {
    it('names the medication, the spelled date and the pharmacy', () => {
      const dto = Object.assign(new SendPrescriptionReminderDto(), {
        phone_number: PHONE,
        patient_name: 'Jane Doe',
        medication_name: 'Lisinopril 10 mg',
        refill_date: '2026-12-02',
        pharmacy_name: 'Main Street Pharmacy',
      });

      expect(textOf('send_prescription_reminder', dto)).toBe(
        'Hi Jane, this is a reminder to refill your Lisinopril 10 mg by Wednesday, December 2 at Main Street Pharmacy. Reply 1 to request a refill.',
      );
    });

    it('leaves out the date and the pharmacy when not given', () => {
      const dto = Object.assign(new SendPrescriptionReminderDto(), {
        phone_number: PHONE,
        patient_name: 'Jane Doe',
        medication_name: 'Lisinopril 10 mg',
      });

      expect(textOf('send_prescription_reminder', dto)).toBe(
        'Hi Jane, this is a reminder to refill your Lisinopril 10 mg. Reply 1 to request a refill.',
      );
    });
  });

  describe('send_prior_auth_update', () => {
    const expected: Record<PriorAuthStatus, string> = {
      approved:
        'Hi Jane, your prior authorization request has been approved. You can fill your prescription as usual.',
      denied:
        'Hi Jane, your prior authorization request was not approved. Your care team will contact you about next steps.',
      pending:
        'Hi Jane, your prior authorization request is still under review. We will text you when there is an update.',
    };

    it.each(PRIOR_AUTH_STATUSES)(
      '%s: says where it stands, greets by first name only, never names the medication',
      (status) => {
        // An agent may pass the drug along; the text must still leave it out.
        const dto = Object.assign(new SendPriorAuthUpdateDto(), {
          phone_number: PHONE,
          patient_name: 'Jane Marie Doe',
          status,
          medication_name: 'Ozempic',
        });

        const text = textOf('send_prior_auth_update', dto);

        expect(text).toBe(expected[status]);
        expect(text).not.toContain('Ozempic');
        expect(text).not.toMatch(/Marie|Doe/);
      },
    );
  });

  describe('send_appointment_confirmation', () => {
    it('gives provider, local time and place', () => {
      const dto = Object.assign(new SendAppointmentConfirmationDto(), {
        phone_number: PHONE,
        patient_name: 'Jane Doe',
        appointment_time: '2026-12-02T15:30:00-05:00',
        provider_name: 'Dr. Patel',
        location: 'Main Street Clinic, Suite 200',
      });

      expect(textOf('send_appointment_confirmation', dto)).toBe(
        'Hi Jane, your appointment with Dr. Patel is confirmed for Wednesday, December 2, 2026 at 3:30 PM at Main Street Clinic, Suite 200. Reply C to confirm or R to reschedule.',
      );
    });

    it('leaves out provider and place when not given', () => {
      const dto = Object.assign(new SendAppointmentConfirmationDto(), {
        phone_number: PHONE,
        patient_name: 'Jane Doe',
        appointment_time: '2026-12-02T15:30:00-05:00',
      });

      expect(textOf('send_appointment_confirmation', dto)).toBe(
        'Hi Jane, your appointment is confirmed for Wednesday, December 2, 2026 at 3:30 PM. Reply C to confirm or R to reschedule.',
      );
    });
  });
});

describe('ToolRegistry.check', () => {
  const copayCard = tool('send_copay_card');

  it('refuses two tools with one name', () => {
    const twin = { ...copayCard, path: 'send-copay-card-again' };

    expect(() => ToolRegistry.check([copayCard, twin])).toThrow(
      'Tool "send_copay_card" is registered twice',
    );
  });

  it('refuses two tools on one path', () => {
    const twin = { ...copayCard, name: 'send_copay_card_again' };

    expect(() => ToolRegistry.check([copayCard, twin])).toThrow(
      'Tool path "send-copay-card" is registered twice',
    );
  });

  it.each(['Send-Copay', 'send copay', '', 'a'.repeat(65)])('refuses the name %j', (name) => {
    expect(() => ToolRegistry.check([{ ...copayCard, name }])).toThrow(
      `Tool name "${name}" must match`,
    );
  });

  it.each(['send_copay', '/send', 'Send'])('refuses the path %j', (path) => {
    expect(() => ToolRegistry.check([{ ...copayCard, path }])).toThrow(
      `Tool path "${path}" must match`,
    );
  });

  it('refuses a choice that is not one of its variables', () => {
    expect(() => ToolRegistry.check([{ ...copayCard, choices: { kind: ['a', 'b'] } }])).toThrow(
      'Tool "send_copay_card" has the choice "kind", which is not one of its variables',
    );
  });

  it('refuses a template variable the tool does not declare', () => {
    const broken = { ...copayCard, template: 'Hi {{first_name}}, card: {{card_url}}' };

    expect(() => ToolRegistry.check([broken])).toThrow(
      'Template of send_copay_card uses {{card_url}}, which the tool does not provide',
    );
  });
});

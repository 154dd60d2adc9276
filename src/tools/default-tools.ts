import { SendAppointmentConfirmationDto } from './dto/send-appointment-confirmation.dto.js';
import { SendCopayCardDto } from './dto/send-copay-card.dto.js';
import { SendPrescriptionReminderDto } from './dto/send-prescription-reminder.dto.js';
import { PRIOR_AUTH_STATUSES, SendPriorAuthUpdateDto } from './dto/send-prior-auth-update.dto.js';
import { SendSmsDto } from './dto/send-sms.dto.js';
import { firstName, spellDate, spellLocalDateTime } from './templates/formatting.js';
import { defineTool, type ToolDefinition } from './tool-definition.js';

// The texts are in src/tools/templates/defaults/<language>.ts, one file per language.

export const sendSmsTool = defineTool({
  name: 'send_sms',
  path: 'send',
  summary: 'Send a text message',
  description:
    'Send a short text message to the patient. Use it only when the patient asks for information in writing and no more specific tool fits. Confirm the number with the patient first.',
  label: 'the message',
  requestDto: SendSmsDto,
  variables: ['message'],
  toVariables: (dto: SendSmsDto) => ({ message: dto.message }),
});

export const sendCopayCardTool = defineTool({
  name: 'send_copay_card',
  path: 'send-copay-card',
  summary: 'Text the patient a link to their copay card',
  description:
    'Text the patient a link to their copay savings card. Use it when the patient asks for their copay card or savings information.',
  label: 'the copay card',
  requestDto: SendCopayCardDto,
  variables: ['first_name', 'copay_url'],
  toVariables: (dto: SendCopayCardDto) => ({
    first_name: firstName(dto.patient_name),
    copay_url: dto.copay_url,
  }),
});

export const sendPrescriptionReminderTool = defineTool({
  name: 'send_prescription_reminder',
  path: 'send-prescription-reminder',
  summary: 'Text the patient a prescription refill reminder',
  description:
    'Text the patient a reminder to refill or pick up a prescription. Use it when the patient asks to be reminded about a refill.',
  label: 'the prescription reminder',
  requestDto: SendPrescriptionReminderDto,
  replies: { '1': 'refill.requested' },
  variables: ['first_name', 'medication_name', 'refill_date', 'pharmacy_name'],
  toVariables: (dto: SendPrescriptionReminderDto, language: string) => ({
    first_name: firstName(dto.patient_name),
    medication_name: dto.medication_name,
    refill_date: dto.refill_date ? spellDate(dto.refill_date, language) : '',
    pharmacy_name: dto.pharmacy_name ?? '',
  }),
});

export const sendPriorAuthUpdateTool = defineTool({
  name: 'send_prior_auth_update',
  path: 'send-prior-auth-update',
  summary: 'Text the patient where their prior authorization stands',
  description:
    'Text the patient an update on their prior authorization: approved, denied or pending. Use it when the patient asks for the status in writing. The text does not name the medication.',
  label: 'the prior authorization update',
  requestDto: SendPriorAuthUpdateDto,
  // Never the medication: the template gets the status only.
  variables: ['first_name', 'status'],
  choices: { status: PRIOR_AUTH_STATUSES },
  toVariables: (dto: SendPriorAuthUpdateDto) => ({
    first_name: firstName(dto.patient_name),
    status: dto.status,
  }),
});

export const sendAppointmentConfirmationTool = defineTool({
  name: 'send_appointment_confirmation',
  path: 'send-appointment-confirmation',
  summary: 'Text the patient an appointment confirmation',
  description:
    'Text the patient a confirmation of an appointment with its date, time, provider and place. Use it after an appointment is booked or when the patient asks for the details in writing.',
  label: 'the appointment confirmation',
  requestDto: SendAppointmentConfirmationDto,
  replies: { C: 'appointment.confirmed', R: 'appointment.reschedule_requested' },
  variables: ['first_name', 'provider_name', 'appointment_time', 'location'],
  toVariables: (dto: SendAppointmentConfirmationDto, language: string) => ({
    first_name: firstName(dto.patient_name),
    provider_name: dto.provider_name ?? '',
    appointment_time: spellLocalDateTime(dto.appointment_time, language),
    location: dto.location ?? '',
  }),
});

/** The tools the service ships with; the specs, exports and docs tables iterate this list. */
export const DEFAULT_TOOLS: readonly ToolDefinition[] = [
  sendSmsTool,
  sendCopayCardTool,
  sendPrescriptionReminderTool,
  sendPriorAuthUpdateTool,
  sendAppointmentConfirmationTool,
];

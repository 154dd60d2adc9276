import { SendAppointmentConfirmationDto } from '../dto/send-appointment-confirmation.dto.js';
import { SendCopayCardDto } from '../dto/send-copay-card.dto.js';
import { SendPrescriptionReminderDto } from '../dto/send-prescription-reminder.dto.js';
import { SendPriorAuthUpdateDto, type PriorAuthStatus } from '../dto/send-prior-auth-update.dto.js';
import { SendSmsDto } from '../dto/send-sms.dto.js';
import { firstName, spellDate, spellLocalDateTime } from '../templates/formatting.js';
import { defineTool, type ToolDefinition } from './tool-definition.js';

const PRIOR_AUTH_PHRASES: Record<PriorAuthStatus, string> = {
  approved: 'has been approved. You can fill your prescription as usual',
  denied: 'was not approved. Your care team will contact you about next steps',
  pending: 'is still under review. We will text you when there is an update',
};

export const sendSmsTool = defineTool({
  name: 'send_sms',
  path: 'send',
  summary: 'Send a text message',
  description:
    'Send a short text message to the patient. Use it only when the patient asks for information in writing and no more specific tool fits. Confirm the number with the patient first.',
  label: 'the message',
  requestDto: SendSmsDto,
  template: '{{message}}',
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
  template: 'Hi {{first_name}}, here is your copay card: {{copay_url}}',
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
  template:
    'Hi {{first_name}}, this is a reminder to refill your {{medication_name}}{{refill_date_phrase}}{{pharmacy_phrase}}.',
  variables: ['first_name', 'medication_name', 'refill_date_phrase', 'pharmacy_phrase'],
  toVariables: (dto: SendPrescriptionReminderDto) => ({
    first_name: firstName(dto.patient_name),
    medication_name: dto.medication_name,
    refill_date_phrase: dto.refill_date ? ` by ${spellDate(dto.refill_date)}` : '',
    pharmacy_phrase: dto.pharmacy_name ? ` at ${dto.pharmacy_name}` : '',
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
  template: 'Hi {{first_name}}, your prior authorization request {{status_phrase}}.',
  variables: ['first_name', 'status_phrase'],
  toVariables: (dto: SendPriorAuthUpdateDto) => ({
    first_name: firstName(dto.patient_name),
    status_phrase: PRIOR_AUTH_PHRASES[dto.status],
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
  template:
    'Hi {{first_name}}, your appointment{{provider_phrase}} is confirmed for {{appointment_time}}{{location_phrase}}.',
  variables: ['first_name', 'provider_phrase', 'appointment_time', 'location_phrase'],
  toVariables: (dto: SendAppointmentConfirmationDto) => ({
    first_name: firstName(dto.patient_name),
    provider_phrase: dto.provider_name ? ` with ${dto.provider_name}` : '',
    appointment_time: spellLocalDateTime(dto.appointment_time),
    location_phrase: dto.location ? ` at ${dto.location}` : '',
  }),
});

/** The five tools the service ships with. */
export const DEFAULT_TOOLS: readonly ToolDefinition[] = [
  sendSmsTool,
  sendCopayCardTool,
  sendPrescriptionReminderTool,
  sendPriorAuthUpdateTool,
  sendAppointmentConfirmationTool,
];

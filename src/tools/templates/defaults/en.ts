import type { TemplateFile } from '../tool-template.js';

/**
 * The English texts of the shipped tools, and the fallback for every other language.
 * TEMPLATES_DIR/en.json overrides them tool by tool; the format is in docs/TEMPLATES.md.
 * First names only, and the prior authorization text never names the drug (minimum PHI).
 */
export const en: TemplateFile = {
  send_sms: '{{message}}',
  send_copay_card: 'Hi {{first_name}}, here is your copay card: {{copay_url}}',
  send_prescription_reminder: {
    text: 'Hi {{first_name}}, this is a reminder to refill your {{medication_name}}{{refill_date_phrase}}{{pharmacy_phrase}}. Reply 1 to request a refill.',
    refill_date_phrase: ' by {{refill_date}}',
    pharmacy_phrase: ' at {{pharmacy_name}}',
  },
  send_prior_auth_update: {
    text: 'Hi {{first_name}}, your prior authorization request {{status}}.',
    status: {
      approved: 'has been approved. You can fill your prescription as usual',
      denied: 'was not approved. Your care team will contact you about next steps',
      pending: 'is still under review. We will text you when there is an update',
    },
  },
  send_appointment_confirmation: {
    text: 'Hi {{first_name}}, your appointment{{provider_phrase}} is confirmed for {{appointment_time}}{{location_phrase}}. Reply C to confirm or R to reschedule.',
    provider_phrase: ' with {{provider_name}}',
    location_phrase: ' at {{location}}',
  },
};

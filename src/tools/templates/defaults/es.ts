import type { TemplateFile } from '../tool-template.js';

/**
 * The Spanish texts of the shipped tools (usted, US Spanish). TEMPLATES_DIR/es.json overrides
 * them tool by tool. á, í, ó and ú are not GSM-7 and make a text UCS-2 (70 characters a
 * segment instead of 160); é, ñ, ü, ¿ and ¡ are GSM-7. The wording avoids neither at the
 * cost of reading naturally.
 */
export const es: TemplateFile = {
  send_sms: '{{message}}',
  send_copay_card: 'Hola {{first_name}}, le enviamos su tarjeta de copago: {{copay_url}}',
  send_prescription_reminder: {
    text: 'Hola {{first_name}}, le recordamos resurtir su receta de {{medication_name}}{{refill_date_phrase}}{{pharmacy_phrase}}. Responda 1 para pedir un resurtido.',
    refill_date_phrase: ' antes del {{refill_date}}',
    pharmacy_phrase: ' en {{pharmacy_name}}',
  },
  send_prior_auth_update: {
    text: 'Hola {{first_name}}, su solicitud de autorización previa {{status}}.',
    status: {
      approved: 'fue aprobada. Puede surtir su receta como de costumbre',
      denied:
        'no fue aprobada. Su equipo de atención médica se comunicará con usted sobre los próximos pasos',
      pending: 'sigue en revisión. Le avisaremos por mensaje de texto cuando haya novedades',
    },
  },
  send_appointment_confirmation: {
    text: 'Hola {{first_name}}, su cita{{provider_phrase}} queda confirmada para el {{appointment_time}}{{location_phrase}}. Responda C para confirmar o R para cambiar la cita.',
    provider_phrase: ' con {{provider_name}}',
    location_phrase: ' en {{location}}',
  },
};

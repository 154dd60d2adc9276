/**
 * Why a text did not arrive, in words an agent can say, from the error code stored on the
 * message: Twilio's delivery error codes (TWILIO_<code>, from status callbacks) and the
 * service's own codes.
 */
const WORDS: Readonly<Record<string, string>> = {
  TWILIO_30003: 'the phone was switched off or out of reach',
  TWILIO_30004: 'the number is blocking texts',
  TWILIO_30005: 'that number is unknown or no longer in service',
  TWILIO_30006: "that number can't get texts; it may be a landline",
  TWILIO_30007: "the patient's carrier filtered it",
  TWILIO_30008: 'the carrier could not deliver it',
  TWILIO_21610: 'the patient has opted out of texts',
  TWILIO_21612: "that number can't be reached by text",
  TWILIO_21614: "that number can't get texts; it may be a landline",
  RECIPIENT_NOT_MOBILE: "that number can't get texts; it may be a landline",
  RECIPIENT_OPTED_OUT: 'the patient has opted out of texts',
  RECIPIENT_UNREACHABLE: "that number can't be reached by text",
  INVALID_PHONE_NUMBER: "that number isn't a valid phone number",
  CONSENT_WITHDRAWN: 'the patient opted out of texts before it was due',
  EXPIRED: 'its time passed while our texting service was down',
};

export function failureInWords(errorCode: string | null): string {
  return (errorCode && WORDS[errorCode]) ?? 'the carrier did not say why';
}

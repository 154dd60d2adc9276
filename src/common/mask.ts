/** "+15551234567" -> "***-***-4567": enough for a patient to recognise, not to identify. */
export function maskPhone(e164: string | null | undefined): string {
  if (!e164) return '';
  const digits = e164.replace(/\D/g, '');
  return `***-***-${digits.slice(-4)}`;
}

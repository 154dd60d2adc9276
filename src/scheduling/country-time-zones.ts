/**
 * Countries that keep one civil time everywhere, so a number's country tells its time zone.
 * Countries that span zones (US, CA, MX, BR, AU, RU, ...) are absent on purpose: for them the
 * request's timezone field or DEFAULT_TIMEZONE decides.
 */
export const SINGLE_ZONE_COUNTRIES: Readonly<Record<string, string>> = {
  AT: 'Europe/Vienna',
  BE: 'Europe/Brussels',
  CH: 'Europe/Zurich',
  CZ: 'Europe/Prague',
  DK: 'Europe/Copenhagen',
  FI: 'Europe/Helsinki',
  GB: 'Europe/London',
  GR: 'Europe/Athens',
  HU: 'Europe/Budapest',
  IE: 'Europe/Dublin',
  IL: 'Asia/Jerusalem',
  IN: 'Asia/Kolkata',
  IT: 'Europe/Rome',
  JP: 'Asia/Tokyo',
  KR: 'Asia/Seoul',
  NL: 'Europe/Amsterdam',
  NO: 'Europe/Oslo',
  NZ: 'Pacific/Auckland',
  PH: 'Asia/Manila',
  PL: 'Europe/Warsaw',
  PR: 'America/Puerto_Rico',
  SE: 'Europe/Stockholm',
  SG: 'Asia/Singapore',
  ZA: 'Africa/Johannesburg',
};

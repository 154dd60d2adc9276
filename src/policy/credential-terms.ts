import { displayed } from './displayed-text.js';

/**
 * What a text from a clinic never needs to name, and a phishing text always asks for: the
 * keys to a patient's accounts and money. A text that names one is refused, whatever the
 * sentence around it ("never share your PIN" included): telling a request from a warning is
 * the kind of judgement an agent can be talked out of, and a clinic's texts have no need of
 * either. docs/SECURITY.md lists the terms ("Credential requests").
 *
 * Matched on whole words, case and accents ignored, with any punctuation or spacing between
 * the words and between the letters of an abbreviation ("S.S.N.", "one-time code").
 */
export const CREDENTIAL_TERMS: Readonly<Record<'en' | 'es', readonly string[]>> = {
  en: [
    'SSN',
    'social security',
    'password',
    'passcode',
    'passphrase',
    'PIN number',
    'PIN code',
    'your PIN',
    'credentials',
    'one time code',
    'one time password',
    'OTP',
    'verification code',
    'security code',
    'login code',
    'access code',
    'CVV',
    'CVV2',
    'CVC',
    'credit card',
    'debit card',
    'card details',
    'bank account',
    'routing number',
    'online banking',
  ],
  es: [
    'seguro social',
    'contraseña',
    'clave secreta',
    'clave de acceso',
    'clave bancaria',
    'su clave',
    'tu clave',
    'su PIN',
    'tu PIN',
    'NIP',
    'credenciales',
    'código de un solo uso',
    'código de verificación',
    'código de seguridad',
    'código de acceso',
    'tarjeta de crédito',
    'tarjeta de débito',
    'datos de su tarjeta',
    'datos de tu tarjeta',
    'cuenta bancaria',
    'cuenta de banco',
    'número de ruta',
    'datos bancarios',
    'banca en línea',
  ],
};

// Abbreviations whose letters may be spelled apart: S.S.N., C V V, O-T-P.
const ABBREVIATIONS = /^[A-Z]{2,4}\d?$/;

// Longest first, so "one time password" is reported as that rather than as "password".
const PATTERNS: ReadonlyArray<{ term: string; pattern: RegExp }> = Object.values(CREDENTIAL_TERMS)
  .flat()
  .sort((a, b) => b.length - a.length)
  .map((term) => ({
    term,
    pattern: new RegExp(`(?<![\\p{L}\\p{N}])${termPattern(term)}(?![\\p{L}\\p{N}])`, 'u'),
  }));

/** The credential terms a text names, the most specific first. */
export function findCredentialTerms(text: string): string[] {
  const folded = fold(displayed(text).joined);
  return PATTERNS.filter(({ pattern }) => pattern.test(folded)).map(({ term }) => term);
}

function termPattern(term: string): string {
  return term
    .split(' ')
    .map((word) =>
      ABBREVIATIONS.test(word) ? [...fold(word)].join('[^\\p{L}\\p{N}]?') : fold(word),
    )
    .join('[^\\p{L}\\p{N}]+');
}

/** Lower case without accents: "Contraseña" and "contrasena" read alike. */
function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

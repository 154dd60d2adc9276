import { readFileSync } from 'node:fs';
import { CREDENTIAL_TERMS, findCredentialTerms } from './credential-terms.js';

describe('findCredentialTerms', () => {
  it.each([
    ['Refill approved. Text your SSN to us to confirm.', 'SSN'],
    ['Reply with your S.S.N. today', 'SSN'],
    ['Confirm your Social-Security number', 'social security'],
    ['Reset your PASSWORD here', 'password'],
    ['Enter your PIN to unlock your card', 'your PIN'],
    ['Send the one-time code we texted you', 'one time code'],
    ['Reply with the C V V on the back', 'CVV'],
    ['Update your bank account details', 'bank account'],
    ['Your pass\u200bcode expired', 'passcode'],
    ['Responda con su número de Seguro Social', 'seguro social'],
    ['Envíe su contrasena', 'contraseña'],
    ['Escriba su código de verificación', 'código de verificación'],
    ['Confirme su NIP', 'NIP'],
    ['Actualice los datos de su tarjeta de crédito', 'tarjeta de crédito'],
  ])('finds %j', (text, term) => {
    expect(findCredentialTerms(text)).toContain(term);
  });

  it.each([
    'Hi Jane, here is your copay card: https://copay.example.com/card/abc123',
    'Hi Pin, your prior authorization request has been approved.',
    'Your copay card number is on the back of the card.',
    'Follow us on Pinterest for recipes.',
    'Hola Jane, su solicitud de autorización previa fue aprobada.',
    'Su cita con la Dra. Clavijo queda confirmada.',
  ])('finds nothing in %j', (text) => {
    expect(findCredentialTerms(text)).toEqual([]);
  });
});

describe('docs/SECURITY.md "Credential requests"', () => {
  it('lists exactly the terms the check uses', () => {
    const doc = readFileSync('docs/SECURITY.md', 'utf8');
    const section = /<!-- credential-terms:start[^]*?<!-- credential-terms:end -->/.exec(doc)?.[0];
    const listed = (language: string) =>
      [
        ...(new RegExp(`^- ${language}: (.*)$`, 'm').exec(section ?? '')?.[1] ?? '').matchAll(
          /`([^`]+)`/g,
        ),
      ].map((m) => m[1]);
    expect({ en: listed('English'), es: listed('Spanish') }).toEqual(CREDENTIAL_TERMS);
  });
});

import { readFileSync } from 'node:fs';
import { parseConsentKeyword } from '../consent/consent-keywords.js';
import { readRevocation, REVOCATION_PHRASES, UNCLEAR_WORDS } from './revocation-phrases.js';

describe('plain-language revocations', () => {
  it.each(REVOCATION_PHRASES)('"%s" opts out, alone or in a sentence, any case', (phrase) => {
    expect(parseConsentKeyword(phrase).intent).toBe('none');
    expect(readRevocation(phrase)).toBe('revoked');
    expect(readRevocation(`${phrase.toUpperCase()}!!`)).toBe('revoked');
    expect(readRevocation(`Hi, ${phrase}, thanks.`)).toBe('revoked');
  });

  it('reads Spanish with or without accents', () => {
    expect(readRevocation('Ya no me envíen mensajes, por favor')).toBe('revoked');
    expect(readRevocation('no más mensajes')).toBe('revoked');
  });

  it.each(UNCLEAR_WORDS)('"%s" among other words is unclear: the service asks', (word) => {
    expect(readRevocation(`${word}, is this the right number?`)).toBe('unclear');
  });

  it.each([
    'C',
    'Can we do Thursday?',
    'I need to cancel my appointment',
    'Thanks!',
    'stopped by the pharmacy',
  ])('reads "%s" as no revocation', (body) => {
    expect(readRevocation(body)).toBe('none');
  });

  it('are the list docs/EVENTS.md gives, each phrase as written there', () => {
    const doc = readFileSync('docs/EVENTS.md', 'utf8').replace(/\s+/g, ' ');
    const listed = doc.slice(doc.indexOf('**Revocation phrases**'), doc.indexOf('**Retention**'));
    const accented: Record<string, string> = {
      'no me envien mensajes': 'no me envíen mensajes',
      'ya no me envien mensajes': 'ya no me envíen mensajes',
      'no mas mensajes': 'no más mensajes',
    };
    for (const phrase of REVOCATION_PHRASES) {
      expect(listed).toContain(accented[phrase] ?? phrase);
    }
  });
});

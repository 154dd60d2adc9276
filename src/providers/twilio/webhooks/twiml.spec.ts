import { escapeXml, messagingTwiml } from './twiml.js';

describe('TwiML', () => {
  it('answers with one message', () => {
    expect(messagingTwiml("You're unsubscribed.")).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Message>You&apos;re unsubscribed.</Message></Response>',
    );
  });

  it('answers with an empty Response when there is nothing to say', () => {
    expect(messagingTwiml(null)).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    expect(messagingTwiml('')).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
  });

  it('escapes markup, so a reply text cannot add TwiML verbs', () => {
    expect(escapeXml('A & B <Redirect>x</Redirect> "q"')).toBe(
      'A &amp; B &lt;Redirect&gt;x&lt;/Redirect&gt; &quot;q&quot;',
    );
  });

  it('drops characters XML cannot carry and keeps the rest, accents and emoji included', () => {
    expect(escapeXml('a\u0000b\u001Fc\uFFFEd \uD800 Envío 👍\n')).toBe('abcd  Envío 👍\n');
  });
});

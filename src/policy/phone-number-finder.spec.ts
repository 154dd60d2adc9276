import { findPhoneNumbers } from './phone-number-finder.js';

const numbers = (text: string) => findPhoneNumbers(text, 'US').map((n) => n.e164 ?? n.text);

describe('findPhoneNumbers', () => {
  it.each([
    ['a premium-rate number', 'Your card is blocked. Call 1-900-555-0199 now.', '+19005550199'],
    ['a national number', 'Call (202) 555-0143 today', '+12025550143'],
    ['a dotted number', 'Call 202.555.0143 today', '+12025550143'],
    ['digits only', 'Call 2025550143 today', '+12025550143'],
    ['E.164', 'Call +12025550143 today', '+12025550143'],
    ['a tel: link', 'Tap tel:+19005550199', '+19005550199'],
    ['an international number', 'Call +44 20 7946 0958', '+442079460958'],
    ['full-width digits', 'Call ２０２-555-0143', '+12025550143'],
    ['a zero-width space inside', 'Call 202-555\u200b-0143', '+12025550143'],
    ['a vanity number', 'Call 1-800-FLOWERS', '+18003569377'],
    ['a vanity number with a group', 'Call (800) GO-FEDEX', '+18004633339'],
    ['a vanity number with extra letters', 'Call 1-800-MATTRESS', '+18006288737'],
    ['a vanity number in lower case', 'Call 1-800-flowers', '+18003569377'],
    ['a local number', 'Text your SSN to 555-0142 to confirm.', '555-0142'],
    ['a local number with a space', 'Text 555 0142', '555 0142'],
    ['a local number written together', 'Text 5550142', '5550142'],
  ])('finds %s', (_, text, number) => {
    expect(numbers(text)).toEqual([number]);
  });

  it.each([
    'Wednesday, December 2, 2026 at 3:30 PM',
    'miércoles, 2 de diciembre de 2026 a las 15:30',
    'Take 10.5 mg at 8 a.m., copay $1,234,567.00',
    'Refill by 2026-12-02 or 12/02/2026, 10:30-11:45',
    'CVS Pharmacy #1234, 1234 Main St, Suite 200-Annex, ZIP 90210-1234',
    'Lisinopril 500 MG TABLETS, NDC 0002-1433-80, pi is 3.1415926',
  ])('finds nothing in %j', (text) => {
    expect(numbers(text)).toEqual([]);
  });
});

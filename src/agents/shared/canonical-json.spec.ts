import { canonicalJson } from './canonical-json.js';

describe('canonicalJson', () => {
  it('writes nested objects canonically', () => {
    expect(canonicalJson({ b: [2, { d: 1, c: null }], a: 'x' })).toBe(
      '{"a":"x","b":[2,{"c":null,"d":1}]}',
    );
  });

  it('gives the same text for the same value in any key order', () => {
    expect(canonicalJson({ message: 'Hi.', phone_number: '+12025550143' })).toBe(
      canonicalJson({ phone_number: '+12025550143', message: 'Hi.' }),
    );
    expect(canonicalJson(undefined)).toBe('null');
  });
});

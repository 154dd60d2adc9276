import {
  containsNumber,
  loggableHeaders,
  loggableUrl,
  maskNumbers,
  redactedPath,
} from './redaction.js';

describe('maskNumbers', () => {
  it('masks phone numbers however they are written, keeping the last four digits', () => {
    expect(maskNumbers('to +12025550143 failed')).toBe('to ***0143 failed');
    expect(maskNumbers('to (202) 555-0143 failed')).toBe('to (***0143 failed');
    expect(maskNumbers('to 202.555.0143 failed')).toBe('to ***0143 failed');
    expect(maskNumbers('to +1 202 555 0143 failed')).toBe('to ***0143 failed');
    expect(maskNumbers('to +44 20 7946 0958 failed')).toBe('to ***0958 failed');
  });

  it('keeps IPv4 addresses readable, with or without a port', () => {
    expect(maskNumbers('connect ECONNREFUSED 127.0.0.1:40985')).toBe(
      'connect ECONNREFUSED 127.0.0.1:40985',
    );
    expect(maskNumbers('connect ETIMEDOUT 10.20.30.40:5432')).toBe(
      'connect ETIMEDOUT 10.20.30.40:5432',
    );
    expect(maskNumbers('host 192.168.100.254 is down.')).toBe('host 192.168.100.254 is down.');
    expect(maskNumbers('peer ::ffff:172.16.0.9 reset')).toBe('peer ::ffff:172.16.0.9 reset');
  });

  it('keeps IPv6 addresses and host:port readable', () => {
    for (const text of [
      'connect ECONNREFUSED ::1:5432',
      'connect ECONNREFUSED [2001:db8:85a3::8a2e:370:7334]:5432',
      'connect ECONNREFUSED 2001:0db8:0000:0000:0000:ff00:0042:8329',
      'getaddrinfo ENOTFOUND postgres-primary.internal:5432',
    ]) {
      expect(maskNumbers(text)).toBe(text);
    }
  });

  it('still masks a number next to an address', () => {
    expect(maskNumbers('sending to +12025550143 via 10.0.0.7:443')).toBe(
      'sending to ***0143 via 10.0.0.7:443',
    );
  });

  it('does not take a dotted phone number or a longer run of digits for an address', () => {
    expect(maskNumbers('1.202.555.0143')).toBe('***0143');
    expect(maskNumbers('10.0.0.1.5550143')).toBe('***0143');
    expect(maskNumbers('300.1.1.1234')).toBe('***1234');
  });
});

describe('loggableUrl', () => {
  it('keeps parameter names and drops their values and number-like path segments', () => {
    expect(loggableUrl('/api/audit?phone_number=%2B12025550143&limit=5')).toBe(
      '/api/audit?phone_number=[redacted]&limit=[redacted]',
    );
    expect(loggableUrl('/api/x/+12025550143')).toBe('/api/x/[number]');
  });

  it('reads percent-encoded numbers in the path and in parameter names', () => {
    expect(loggableUrl('/api/consent/%2B1%20202%20555%200143')).toBe('/api/consent/[number]');
    expect(loggableUrl('/api/consent/%28202%29%20555%200177')).toBe('/api/consent/([number]');
    expect(loggableUrl('/api/consent/%252B12025550143')).toBe('/api/consent/[number]');
    expect(loggableUrl('/api/x/%E2%80%8B%ZZ/202-555-0143')).toBe('/api/x/\u200b%ZZ/[number]');
    expect(loggableUrl('/api/x?%2B12025550143=1')).toBe('/api/x?[number]=[redacted]');
  });
});

describe('the number finder', () => {
  it("reads full-width and other scripts' digits and Unicode dashes", () => {
    expect(
      redactedPath(
        '/api/consent/\uFF0B\uFF11\uFF12\uFF10\uFF12\uFF15\uFF15\uFF15\uFF10\uFF11\uFF14\uFF13',
      ),
    ).toBe('/api/consent/[number]');
    expect(maskNumbers('call \u0662\u0660\u0662\u0665\u0665\u0665\u0660\u0661\u0664\u0663')).toBe(
      'call ***\u0660\u0661\u0664\u0663',
    );
    expect(maskNumbers('to 202\u2013555\u20130143')).toBe('to ***0143');
  });

  it('keeps ISO dates and times, which are not numbers', () => {
    for (const text of ['on 2025-03-14.', 'at 2025-03-14T10:30:00Z', 'at 2025-03-14 10:30']) {
      expect(maskNumbers(text)).toBe(text);
      expect(containsNumber(text)).toBe(false);
    }
    expect(containsNumber('call (202) 555-0191 back')).toBe(true);
    expect(containsNumber('2025-55-50 14')).toBe(true);
  });
});

describe('loggableHeaders', () => {
  it("redacts every way in's credential and the caller's number, and keeps the rest", () => {
    const headers = {
      authorization: 'Bearer k',
      'x-api-key': 'k',
      'x-vapi-secret': 's',
      'x-signature': 'sig',
      'x-timestamp': '1764000000000',
      'x-retell-signature': 'v=1,d=sig',
      'x-twilio-signature': 'sig',
      'x-caller-number': '+12025550143',
      'elevenlabs-signature': 't=1,v0=sig',
      'idempotency-key': 'call-1',
      'user-agent': 'vapi',
    };
    expect(loggableHeaders(headers)).toEqual({
      authorization: '[redacted]',
      'x-api-key': '[redacted]',
      'x-vapi-secret': '[redacted]',
      'x-signature': '[redacted]',
      'x-timestamp': '1764000000000',
      'x-retell-signature': '[redacted]',
      'x-twilio-signature': '[redacted]',
      'x-caller-number': '[redacted]',
      'elevenlabs-signature': '[redacted]',
      'idempotency-key': 'call-1',
      'user-agent': 'vapi',
    });
  });
});

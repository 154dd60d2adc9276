import { loggableUrl, maskNumbers } from './redaction.js';

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
});

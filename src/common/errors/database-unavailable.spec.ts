import type { ArgumentsHost } from '@nestjs/common';
import { QueryFailedError, TypeORMError } from 'typeorm';
import { AllExceptionsFilter } from './all-exceptions.filter.js';
import { markAudited } from './audited.js';
import { isDatabaseUnavailable } from './database-unavailable.js';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['pg, nothing listening', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    [
      'pg, every address of a name refused',
      new AggregateError([withCode('refused', 'ECONNREFUSED')], ''),
    ],
    ['pg, connection dropped', new Error('Connection terminated unexpectedly')],
    ['pg-pool, connect timeout', new Error('timeout exceeded when trying to connect')],
    [
      'PostgreSQL shutting down, through TypeORM',
      new QueryFailedError('SELECT 1', [], withCode('terminating connection', '57P01')),
    ],
    ['PostgreSQL starting up', withCode('the database system is starting up', '57P03')],
    ['PostgreSQL out of connections', withCode('too many clients', '53300')],
    ['a connection exception (class 08)', withCode('connection failure', '08006')],
    ['SQLite busy past busy_timeout', withCode('database is locked', 'SQLITE_BUSY')],
    ['SQLite locked table', withCode('database table is locked', 'SQLITE_LOCKED')],
    [
      'SQLite closed, through TypeORM',
      new QueryFailedError('SELECT 1', [], new TypeError('The database connection is not open')),
    ],
    [
      'the cause of a wrapped error',
      new Error('claim failed', { cause: withCode('x', 'ETIMEDOUT') }),
    ],
  ])('says yes for %s', (_case, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', new QueryFailedError('INSERT', [], withCode('duplicate key', '23505'))],
    ['a SQLite constraint', withCode('UNIQUE constraint failed', 'SQLITE_CONSTRAINT_UNIQUE')],
    ['a programming error', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a TypeORM mapping error', new TypeORMError('No metadata for "Foo" was found.')],
    ['not an error at all', 'ECONNREFUSED'],
    ['null', null],
  ])('says no for %s', (_case, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});

describe('AllExceptionsFilter and an unavailable database', () => {
  function answer(exception: unknown) {
    const res = {
      headersSent: false,
      headers: {} as Record<string, string>,
      statusCode: 0,
      body: undefined as unknown,
      setHeader(name: string, value: string) {
        this.headers[name] = value;
      },
      status(code: number) {
        this.statusCode = code;
        return this;
      },
      json(body: unknown) {
        this.body = body;
      },
    };
    const req = { id: 'req-test-0001', path: '/api/sms/send', method: 'POST', body: {} };
    const host = {
      switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }),
    } as unknown as ArgumentsHost;
    return new AllExceptionsFilter().catch(exception, host).then(() => res);
  }

  it('answers 503 DATABASE_UNAVAILABLE with Retry-After for a failure before any send', async () => {
    const res = await answer(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'));
    expect(res.statusCode).toBe(503);
    expect(res.headers['Retry-After']).toBe('5');
    expect(res.body).toMatchObject({
      success: false,
      error: { code: 'DATABASE_UNAVAILABLE', retryable: true },
      request_id: 'req-test-0001',
    });
  });

  it('leaves a failure the send path audited (after its claim) a 500, never "nothing was sent"', async () => {
    const res = await answer(markAudited(withCode('socket hang up', 'ECONNRESET')));
    expect(res.statusCode).toBe(500);
    expect(res.body).toMatchObject({ error: { code: 'INTERNAL_ERROR' } });
  });
});

import { ErrorCode } from '../../src/common/errors/error-codes.js';

const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));

/**
 * What is wrong with `body` as an error-contract answer, or [] when nothing is:
 * { success: false, error: { code, message, retryable }, agent_message, request_id }.
 */
export function contractProblems(body: unknown): string[] {
  if (typeof body !== 'object' || body === null) return ['the body is not a JSON object'];
  const { success, error, agent_message, request_id } = body as Record<string, unknown>;
  const problems: string[] = [];
  if (success !== false) problems.push('success is not false');
  if (typeof agent_message !== 'string' || !agent_message) problems.push('no agent_message');
  if (typeof request_id !== 'string' || !request_id) problems.push('no request_id');
  if (typeof error !== 'object' || error === null) return [...problems, 'no error object'];
  const { code, message, retryable } = error as Record<string, unknown>;
  if (typeof code !== 'string' || !KNOWN_CODES.has(code)) {
    problems.push(`error.code ${JSON.stringify(code)} is not in error-codes.ts`);
  }
  if (typeof message !== 'string') problems.push('error.message is not a string');
  if (typeof retryable !== 'boolean') problems.push('error.retryable is not a boolean');
  return problems;
}

/** Jest assertion: `body` is in the error contract, with `code` when given. */
export function expectErrorContract(body: unknown, code?: string): void {
  expect(contractProblems(body)).toEqual([]);
  if (code) expect((body as { error: { code: string } }).error.code).toBe(code);
}

import { MAX_BODY_DEPTH } from '../../common/http/body-depth.js';
import { readToolArguments } from './tool-arguments.js';

const LIMIT = 1024;
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('readToolArguments', () => {
  it('parses a JSON string and takes an object as it is', () => {
    expect(readToolArguments('{"message":"Hi."}', LIMIT)).toEqual({ message: 'Hi.' });
    expect(readToolArguments({ message: 'Hi.' }, LIMIT)).toEqual({ message: 'Hi.' });
    expect(readToolArguments(undefined, LIMIT)).toEqual({});
  });

  it('passes a string that is not JSON on, for the pipeline to refuse', () => {
    expect(readToolArguments('not json', LIMIT)).toBe('not json');
  });

  it.each([
    ['a JSON string', (depth: number) => `{"message":${nested(depth)}}`],
    ['an object', (depth: number) => ({ message: JSON.parse(nested(depth)) as unknown })],
  ])('refuses %s nested deeper than a body may be, and takes one as deep', (_, build) => {
    expect(() => readToolArguments(build(MAX_BODY_DEPTH), LIMIT)).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED', status: 400 }),
    );
    expect(readToolArguments(build(MAX_BODY_DEPTH - 1), LIMIT)).toBeDefined();
  });

  it.each([
    ['a JSON string', (size: number) => JSON.stringify({ message: 'x'.repeat(size) })],
    ['an object', (size: number) => ({ message: 'x'.repeat(size) })],
  ])('refuses %s larger than a tool body may be (413)', (_, build) => {
    expect(() => readToolArguments(build(LIMIT), LIMIT)).toThrow(
      expect.objectContaining({ code: 'PAYLOAD_TOO_LARGE', status: 413 }),
    );
    expect(readToolArguments(build(LIMIT - 20), LIMIT)).toBeDefined();
  });
});

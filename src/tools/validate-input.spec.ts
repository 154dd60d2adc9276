import type { DomainError } from '../common/errors/domain-error.js';
import { SendSmsDto } from './dto/send-sms.dto.js';
import { validateToolInput } from './validate-input.js';

const VALID = { phone_number: '+12025550143', message: 'Your appointment is at 3 PM.' };

/** The input as a JSON body arrives: JSON.parse makes "__proto__" an own key, as express does. */
const asJson = (text: string): unknown => JSON.parse(text);

async function refusal(input: unknown): Promise<DomainError> {
  return validateToolInput(SendSmsDto, input).then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: unknown) => error as DomainError,
  );
}

const fieldsOf = (error: DomainError) =>
  (error.details as { fields: { field: string }[] }).fields.map((f) => f.field);

describe('validateToolInput', () => {
  it('returns an instance of the DTO for valid input', async () => {
    const dto = await validateToolInput(SendSmsDto, { ...VALID, urgent: true });

    expect(dto).toBeInstanceOf(SendSmsDto);
    expect(dto).toMatchObject({ ...VALID, urgent: true });
  });

  it.each([
    ['__proto__', asJson(`{"phone_number":"+12025550143","message":"Hi","__proto__":{"x":1}}`)],
    ['constructor', { ...VALID, constructor: 'x' }],
    ['prototype', { ...VALID, prototype: {} }],
  ])('refuses a %s key like any unknown field', async (key, input) => {
    const error = await refusal(input);

    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
    expect(fieldsOf(error)).toEqual([key]);
  });

  it('refuses an unknown field, naming it', async () => {
    const error = await refusal({ ...VALID, pharmacy_fax: '555' });

    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
    expect(fieldsOf(error)).toEqual(['pharmacy_fax']);
    expect(error.agentMessage).toContain('pharmacy_fax');
  });

  it('refuses a missing or mistyped field, naming it', async () => {
    const error = await refusal({ phone_number: '+12025550143', urgent: 'yes' });

    expect(fieldsOf(error)).toEqual(expect.arrayContaining(['message', 'urgent']));
  });

  it.each([
    ['null', null],
    ['an array', [VALID]],
    ['a string', JSON.stringify(VALID)],
    ['undefined', undefined],
  ])('refuses %s as the input', async (_kind, input) => {
    const error = await refusal(input);

    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
    expect(error.agentMessage).toBe(
      "The request wasn't formed correctly, so I didn't send anything.",
    );
  });
});

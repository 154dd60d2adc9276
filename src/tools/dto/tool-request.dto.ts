import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString, IsTimeZone, Length, Matches, MaxLength } from 'class-validator';

/** Free text that must be a name: letters (any script), spaces, apostrophes, hyphens, periods. */
export const NAME_PATTERN = /^[\p{L}\p{M}][\p{L}\p{M}' .-]*$/u;

/**
 * Fields every tool accepts. The context fields are meant to be bound to ElevenLabs system
 * dynamic variables, never filled by the LLM, and stay optional because web and test
 * conversations do not have them.
 */
export abstract class ToolRequestDto {
  @ApiProperty({
    description:
      "The patient's mobile number. E.164 (+12025550143) is best; a national number such as (202) 555-0143 is read in the service's default country.",
    example: '+15551234567',
    maxLength: 32,
  })
  // Whether it is a number at all is the pipeline's question (INVALID_PHONE_NUMBER), whatever its length.
  @IsString()
  @MaxLength(32)
  phone_number: string;

  @ApiProperty({
    description: 'The conversation this send belongs to (bind to system__conversation_id).',
    required: false,
    example: 'conv_01jd8x4k2m9q7r5s3t1v',
    maxLength: 128,
  })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  @Matches(/^[\w.:-]+$/, { message: 'conversation_id may only hold letters, digits, _ . : -' })
  conversation_id?: string;

  @ApiProperty({
    description: "The caller's phone number on a phone call (bind to system__caller_id).",
    required: false,
    example: '+15551234567',
    maxLength: 32,
  })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  caller_id?: string;

  @ApiProperty({
    description: 'The agent that made the call (bind to system__agent_id).',
    required: false,
    example: 'agent_01jd8x4k2m9q7r5s3t1v',
    maxLength: 128,
  })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  @Matches(/^[\w.:-]+$/, { message: 'agent_id may only hold letters, digits, _ . : -' })
  agent_id?: string;

  @ApiProperty({
    description:
      'Language of the text, as a language tag. Templates exist for en and es (and any language TEMPLATES_DIR adds); other languages get English.',
    required: false,
    example: 'en',
    maxLength: 10,
  })
  @IsOptional()
  @IsString()
  @Matches(/^[a-zA-Z]{2,3}([-_][a-zA-Z0-9]{2,8})?$/, {
    message: 'language must be a language tag such as en or es',
  })
  language?: string;

  @ApiProperty({
    description:
      "The patient's IANA time zone, for quiet hours. Without it the service's DEFAULT_TIMEZONE is used.",
    required: false,
    example: 'America/Chicago',
    maxLength: 64,
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @IsTimeZone({ message: 'timezone must be an IANA time zone such as America/Chicago' })
  timezone?: string;
}

/**
 * The example number and conversation of one tool. Each tool has its own, so trying every tool
 * in Swagger UI never spends another tool's per-recipient or per-conversation limit. The
 * numbers are +1 555 numbers, which the sandbox accepts and Twilio would refuse; caller_id
 * repeats phone_number so the example also passes RECIPIENT_POLICY=caller_only.
 */
export function ToolExamples(examples: {
  phone_number: string;
  conversation_id: string;
}): ClassDecorator {
  return (target) => {
    const prototype = (target as unknown as { prototype: object }).prototype;
    ApiProperty({ example: examples.phone_number })(prototype, 'phone_number');
    ApiProperty({ example: examples.phone_number })(prototype, 'caller_id');
    ApiProperty({ example: examples.conversation_id })(prototype, 'conversation_id');
  };
}

/** The patient's name: required on the tools that greet the patient, optional on send_sms. */
export function PatientNameField({ required = true } = {}): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      description: "The patient's name as they gave it. Only the first name goes into the text.",
      example: 'Jane Doe',
      minLength: 1,
      maxLength: 100,
      required,
    }),
    ...(required ? [] : [IsOptional()]),
    IsString(),
    Length(1, 100),
    Matches(NAME_PATTERN, {
      message: 'patient_name must be a name (letters, spaces, apostrophes, hyphens)',
    }),
  );
}

const PLAIN_TEXT = /^[\p{L}\p{M}\p{N}' .,&()/#+-]+$/u;

/** Short optional-or-required free text (medication, pharmacy, provider, place) without markup or links' schemes. */
export function PlainTextField(options: {
  description: string;
  example: string;
  maxLength: number;
  required?: boolean;
  field: string;
}): PropertyDecorator {
  const required = options.required ?? true;
  return applyDecorators(
    ApiProperty({
      description: options.description,
      example: options.example,
      minLength: 1,
      maxLength: options.maxLength,
      required,
    }),
    ...(required ? [] : [IsOptional()]),
    IsString(),
    Length(1, options.maxLength),
    Matches(PLAIN_TEXT, {
      message: `${options.field} may hold letters, digits, spaces and . , & ( ) / # + -`,
    }),
  );
}

import type { Type, ValidationError } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { validationErrorFactory } from '../common/errors/validation.js';
import type { ToolRequestDto } from './dto/tool-request.dto.js';

/** Keys that could reach an object's prototype: refused like any other unknown field. */
const FORBIDDEN_KEYS = ['__proto__', 'constructor', 'prototype'];

function unknownProperty(property: string): ValidationError {
  return {
    property,
    children: [],
    constraints: { whitelistValidation: `property ${property} should not exist` },
  };
}

/**
 * The tool's input as its DTO, validated the way the HTTP ValidationPipe validates every
 * other body (whitelist, unknown fields refused), so every way in gets the same answers.
 */
export async function validateToolInput<T extends ToolRequestDto>(
  dto: Type<T>,
  input: unknown,
): Promise<T> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw validationErrorFactory([]);
  }
  const forbidden = FORBIDDEN_KEYS.filter((key) => Object.hasOwn(input, key));
  if (forbidden.length > 0) throw validationErrorFactory(forbidden.map(unknownProperty));
  const instance = plainToInstance(dto, input);
  const errors = await validate(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
  });
  if (errors.length > 0) throw validationErrorFactory(errors);
  return instance;
}

import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString, IsUrl, MaxLength } from 'class-validator';

/** An optional MMS attachment (image or PDF), sent as Twilio MediaUrl to US and Canadian numbers. */
export function MediaUrlField(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      description:
        'An image or PDF to attach as MMS (US and Canadian numbers only). https, on LINK_ALLOWED_HOSTS.',
      required: false,
      example: 'https://copay.example.com/card/abc123.png',
      maxLength: 500,
    }),
    IsOptional(),
    IsString(),
    MaxLength(500),
    IsUrl(
      { protocols: ['http', 'https'], require_protocol: true, require_tld: true },
      { message: 'media_url must be a web address starting with https://' },
    ),
  );
}

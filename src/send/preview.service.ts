import { Inject, Injectable, ValidationPipe, type ValidationError } from '@nestjs/common';
import type { AuditReader } from '../audit/audit-event.js';
import { ReadAuditor } from '../audit/read-auditor.js';
import { DomainError } from '../common/errors/domain-error.js';
import { pricingConfig, type PricingConfig } from '../config/pricing.config.js';
import { validationErrorFactory } from '../common/errors/validation.js';
import { buildMessageBody, type MessageBody } from '../tools/templates/message-body.js';
import type { PreviewResultDto } from './dto/preview-result.dto.js';
import type { ToolRequestDto } from '../tools/dto/tool-request.dto.js';
import { TextPolicy } from '../policy/text-policy.js';
import type { RenderedText } from '../tools/templates/message-renderer.js';
import { MessageRenderer } from '../tools/templates/message-renderer.js';
import { textsPatient, type ToolDefinition } from '../tools/tool-definition.js';
import { ToolRegistry } from '../tools/tool-registry.js';
import { LineTypeStage } from './line-type.stage.js';
import { PhoneNumberService } from '../policy/phone-number.service.js';

/**
 * What a tool would text, without sending or storing anything: the same validation, template
 * and content policy as a send, and the cost at the configured price per segment. The text
 * shown is the patient's, so each preview is audited (data.read, resource preview) under the
 * patient's number when it can be read.
 */
@Injectable()
export class PreviewService {
  // The global pipe's options (app.module.ts): a preview refuses exactly what a send refuses.
  private readonly validation = new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: validationErrorFactory,
  });

  constructor(
    private readonly tools: ToolRegistry,
    private readonly renderer: MessageRenderer,
    private readonly textPolicy: TextPolicy,
    @Inject(pricingConfig.KEY) private readonly pricing: PricingConfig,
    private readonly lineTypes: LineTypeStage,
    private readonly phones: PhoneNumberService,
    private readonly reads: ReadAuditor,
  ) {}

  async preview(request: unknown, reader: AuditReader): Promise<PreviewResultDto> {
    const { tool: name, ...fields } = isRecord(request) ? request : {};
    const tool = typeof name === 'string' ? this.tools.get(name) : undefined;
    if (!tool || !textsPatient(tool)) throw validationErrorFactory([this.unknownTool()]);
    const dto: ToolRequestDto = await this.validation.transform(fields, {
      type: 'body',
      metatype: tool.requestDto,
    });
    const rendered = this.renderer.render(tool, dto);
    const body = buildMessageBody(rendered.text);
    this.textPolicy.check(body.text);
    const mediaUrl = (dto as { media_url?: string }).media_url;
    if (mediaUrl) this.textPolicy.checkMediaUrl(mediaUrl);
    const recipient = this.recipientOf(dto.phone_number);
    await this.reads.record(reader, {
      resource: 'preview',
      recipients: recipient ? [recipient] : [],
      conversationId: dto.conversation_id ?? null,
      details: {
        tool: tool.name,
        template_language: rendered.language,
        template_version: rendered.version,
        ...(dto.agent_id ? { agent_id: dto.agent_id } : {}),
      },
    });
    return toPreviewResult(tool, rendered, body, this.pricing, this.lineTypes.lookupPrice);
  }

  /** The preview does not judge the number (a send does); an unreadable one tags no patient. */
  private recipientOf(phoneNumber: string): string | undefined {
    try {
      return this.phones.normalize(phoneNumber, { requireValid: false }).e164;
    } catch (error) {
      if (error instanceof DomainError) return undefined;
      throw error;
    }
  }

  private unknownTool(): ValidationError {
    const names = this.tools
      .all()
      .filter(textsPatient)
      .map((t) => t.name);
    return { property: 'tool', constraints: { isIn: `tool must be one of ${names.join(', ')}` } };
  }
}

export function toPreviewResult(
  tool: ToolDefinition,
  rendered: RenderedText,
  body: MessageBody,
  pricing: PricingConfig,
  lookupPrice?: number,
): PreviewResultDto {
  return {
    tool: tool.name,
    text: body.text,
    language: rendered.language,
    ...(rendered.requestedLanguage
      ? {
          notice: `No templates for language "${rendered.requestedLanguage}": the text is in English.`,
        }
      : {}),
    encoding: body.encoding,
    segments: body.segments,
    characters: [...body.text].length,
    estimated_cost: {
      per_segment: pricing.perSegment,
      // Whole millionths: no 0.023700000000000002 in a price.
      total: Math.round((pricing.perSegment * body.segments + (lookupPrice ?? 0)) * 1e6) / 1e6,
      ...(lookupPrice === undefined ? {} : { line_type_lookup: lookupPrice }),
      currency: pricing.currency,
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

import { Injectable } from '@nestjs/common';
import { ToolRegistry } from '../tools/tool-registry.js';
import { validateToolInput } from '../tools/validate-input.js';
import { unknownTool } from './refusals.js';
import type { SendContext, SendStage } from './send-stage.js';

/** Finds the tool called and validates its input against the tool's DTO. */
@Injectable()
export class ToolInputStage implements SendStage {
  constructor(private readonly tools: ToolRegistry) {}

  async run(send: SendContext): Promise<void> {
    const tool = this.tools.get(send.call.tool);
    if (!tool) throw unknownTool(send.call.tool);
    send.set('tool', tool);
    send.set('dto', await validateToolInput(tool.requestDto, send.call.input));
  }
}

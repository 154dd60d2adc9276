import { Module, type DynamicModule } from '@nestjs/common';
import { CommonModule } from '../../common/common.module.js';
import { ThrottlingModule } from '../../limits/edge/throttling.module.js';
import { MetricsCoreModule } from '../../metrics/metrics-core.module.js';
import { SendModule } from '../../send/send.module.js';
import { textsPatient, type ToolDefinition } from '../../tools/tool-definition.js';
import { createPreviewController } from './preview.controller.js';
import { createToolController } from './tool-controller.factory.js';
import { KEYED_PLATFORMS } from '../shared/index.js';

/** A REST endpoint per tool (ElevenLabs, Bland, Swagger UI), and the preview of any of them. */
@Module({})
export class RestModule {
  /** `keyedPlatforms`: the ways in whose key prefixes an Idempotency-Key may not take. */
  static forRoot(
    tools: readonly ToolDefinition[],
    keyedPlatforms: readonly string[] = [],
  ): DynamicModule {
    return {
      module: RestModule,
      providers: [{ provide: KEYED_PLATFORMS, useValue: keyedPlatforms }],
      imports: [SendModule, CommonModule, ThrottlingModule, MetricsCoreModule],
      controllers: [
        ...tools.map(createToolController),
        createPreviewController(tools.filter(textsPatient)),
      ],
    };
  }
}

import { Module, type DynamicModule } from '@nestjs/common';
import { CommonModule } from '../../common/common.module.js';
import { ThrottlingModule } from '../../limits/edge/throttling.module.js';
import { MetricsCoreModule } from '../../metrics/metrics-core.module.js';
import { SendModule } from '../../send/send.module.js';
import { textsPatient, type ToolDefinition } from '../../tools/tool-definition.js';
import { createPreviewController } from './preview.controller.js';
import { createToolController } from './tool-controller.factory.js';

/** A REST endpoint per tool (ElevenLabs, Bland, Swagger UI), and the preview of any of them. */
@Module({})
export class RestModule {
  static forRoot(tools: readonly ToolDefinition[]): DynamicModule {
    return {
      module: RestModule,
      imports: [SendModule, CommonModule, ThrottlingModule, MetricsCoreModule],
      controllers: [
        ...tools.map(createToolController),
        createPreviewController(tools.filter(textsPatient)),
      ],
    };
  }
}

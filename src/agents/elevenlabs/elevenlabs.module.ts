import { CommonModule } from '../../common/common.module.js';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { elevenlabsConfig } from './elevenlabs.config.js';
import { ElevenLabsController } from './elevenlabs.controller.js';
import { ElevenLabsService } from './elevenlabs.service.js';
import { OpenApiDocumentSource } from './openapi-document.source.js';

/** Publishes the registered tools to ElevenLabs agents. */
@Module({
  imports: [ConfigModule.forFeature(elevenlabsConfig), CommonModule],
  controllers: [ElevenLabsController],
  providers: [ElevenLabsService, OpenApiDocumentSource],
  exports: [ElevenLabsService],
})
export class ElevenLabsModule {}

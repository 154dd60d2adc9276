import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ModuleRef } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { appConfig } from '../../config/app.config.js';
import { policyConfig } from '../../config/policy.config.js';
import { ToolRegistry } from '../../tools/tool-registry.js';
import type { ToolDefinition } from '../../tools/tool-definition.js';
import { elevenlabsConfig } from './elevenlabs.config.js';
import { OpenApiDocumentSource } from './openapi-document.source.js';
import { buildPromptSnippet } from './prompt-snippet.js';
import {
  buildElevenLabsTools,
  type ElevenLabsToolBody,
  type ToolExportSettings,
} from './tool-definitions.js';

export const PUBLIC_BASE_URL_PLACEHOLDER = 'https://YOUR-PUBLIC-HOST';
export const SECRET_ID_PLACEHOLDER = 'YOUR_SECRET_ID';

/** Everything the export needs, detached from the running app (the CLI closes the app early). */
export interface ToolExport {
  document: OpenAPIObject;
  tools: readonly ToolDefinition[];
  settings: ToolExportSettings;
  /** Variables whose placeholder stands in the settings because they are unset. */
  placeholders: string[];
  /** The workspace secret as configured: the sync command finds or creates it by name. */
  secret: { name: string; id?: string };
}

@Injectable()
export class ElevenLabsService {
  constructor(
    private readonly documents: OpenApiDocumentSource,
    private readonly moduleRef: ModuleRef,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
    @Inject(policyConfig.KEY) private readonly policy: ConfigType<typeof policyConfig>,
    @Inject(elevenlabsConfig.KEY) private readonly elevenlabs: ConfigType<typeof elevenlabsConfig>,
  ) {}

  toolExport(): ToolExport {
    const placeholders: string[] = [];
    if (!this.app.publicBaseUrl) placeholders.push('PUBLIC_BASE_URL');
    if (!this.elevenlabs.secretId) placeholders.push('ELEVENLABS_SECRET_ID');
    return {
      document: this.documents.get(),
      // SmsModule is configured per app (tests add tools), so take the registry it built.
      tools: this.moduleRef.get(ToolRegistry, { strict: false }).all(),
      settings: {
        publicBaseUrl: this.app.publicBaseUrl ?? PUBLIC_BASE_URL_PLACEHOLDER,
        requestDeadlineMs: this.app.requestDeadlineMs,
        recipientPolicy: this.policy.recipientPolicy,
        secretId: this.elevenlabs.secretId ?? SECRET_ID_PLACEHOLDER,
      },
      placeholders,
      secret: { name: this.elevenlabs.secretName, id: this.elevenlabs.secretId },
    };
  }

  tools(): { tools: ElevenLabsToolBody[]; placeholders: string[] } {
    const { document, tools, settings, placeholders } = this.toolExport();
    return { tools: buildElevenLabsTools(document, tools, settings), placeholders };
  }

  promptSnippet(): string {
    return buildPromptSnippet(this.tools().tools, this.policy.recipientPolicy);
  }
}

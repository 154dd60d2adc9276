import type { WayInRegistration } from '../way-in.js';
import { ElevenLabsModule } from './elevenlabs.module.js';
import type { ToolExport } from './elevenlabs.service.js';
import { buildElevenLabsTools } from './tool-definitions.js';

/** ElevenLabs calls the REST tools; its own module publishes them to its agents. */
export const ELEVENLABS_WAY_IN = {
  name: 'elevenlabs',
  module: () => ElevenLabsModule,
  exporter: (exported: ToolExport) =>
    buildElevenLabsTools(exported.document, exported.tools, exported.settings),
  // The workspace secret is ElevenLabs' own; the other platforms hold the key themselves.
  exportSettings: ['ELEVENLABS_SECRET_ID'],
  swaggerTag: { name: 'ElevenLabs', description: 'The tools as ElevenLabs webhook tools.' },
} satisfies WayInRegistration;

import type { WayInRegistration } from '../way-in.js';
import { buildVapiTools } from './vapi.export.js';
import { VapiModule } from './vapi.module.js';

/** Vapi's server URL: a tool-calls message carries the whole call, and may be HMAC-signed. */
export const VAPI_WAY_IN = {
  name: 'vapi',
  keysRetries: true,
  module: () => VapiModule,
  exporter: buildVapiTools,
  rawBodyPaths: ['/api/vapi'],
  swaggerTag: { name: 'Vapi', description: "Vapi's server URL for tool calls." },
} satisfies WayInRegistration;

import type { WayInRegistration } from '../way-in.js';
import { RestModule } from './rest.module.js';

/** The REST tool endpoints (ElevenLabs, Bland, Swagger UI): one per served tool. */
export const REST_WAY_IN = {
  name: 'rest',
  module: (tools, { keyedPlatforms }) => RestModule.forRoot(tools, keyedPlatforms),
} satisfies WayInRegistration;

import type { WayInRegistration } from '../way-in.js';
import { buildRetellTools } from './retell.export.js';
import { RetellModule } from './retell.module.js';

/** Retell's custom functions: each request carries the whole call and is signed. */
export const RETELL_WAY_IN = {
  name: 'retell',
  keysRetries: true,
  module: () => RetellModule,
  exporter: buildRetellTools,
  rawBodyPaths: ['/api/retell'],
  swaggerTag: { name: 'Retell', description: "Retell's custom functions." },
} satisfies WayInRegistration;

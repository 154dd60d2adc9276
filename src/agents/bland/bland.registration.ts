import type { WayInRegistration } from '../way-in.js';
import { blandName, buildBlandTools } from './bland.export.js';

/** Bland's custom tools call the REST tools as they are: an exporter, no module of its own. */
export const BLAND_WAY_IN = {
  name: 'bland',
  exporter: buildBlandTools,
  exportedName: blandName,
} satisfies WayInRegistration;

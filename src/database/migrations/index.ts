import { CreateMessages1764060000000 } from './1764060000000-create-messages.js';

/** Listed explicitly (not globbed) so the same list works from src under Jest and from dist. */
export const migrations = [CreateMessages1764060000000];

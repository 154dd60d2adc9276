import { inboundReplaySuite } from './inbound-replay.suite.js';

describe('a replayed Twilio inbound message on SQLite (e2e)', () => {
  inboundReplaySuite(() => ({}));
});

/**
 * What the ways in share, each with when a way in needs it. A way in imports from here only;
 * docs/PLATFORMS.md ("Adding a platform") points here.
 */

/** Every way in that answers in its platform's shape: run the call, then render its outcome. */
export { oneLine, runToolCall, type ToolOutcome } from './tool-outcome.js';
/** A platform that knows the call (id, caller, agent): bind it over what the LLM sent. */
export { bindCallContext, type CallContext } from './call-context.js';
/** A request that is not the platform's documented shape, and reading its untyped fields. */
export { isRecord, malformedPlatformRequest, stringAt } from './malformed.js';
/** A platform that proves itself with a shared secret: compare it in constant time. */
export { secretsMatch } from './shared-secret.js';
/** A platform that delivers a tool's arguments inside its own body: hold them to a tool body's limits. */
export { readToolArguments } from './tool-arguments.js';
/** A way in that keys retries by its platform's ids, or by a REST Idempotency-Key header. */
export { KEYED_PLATFORMS, platformIdempotencyKey, restIdempotencyKey } from './idempotency-key.js';
/** A platform that signs its body, or posts the whole call: the raw bytes and their routes. */
export { rawBodyOf } from './platform-body.js';
/** Every way in with routes of its own: the Swagger tag its registration declares. */
export { WAY_IN_TAGS, type WayInTag } from './platform-body.js';
/** A platform that sends no id of its own to key on: the same value, the same text. */
export { canonicalJson } from './canonical-json.js';
/** An exporter: a tool's parameters as JSON Schema, without the fields the platform binds. */
export { toolParameters, type JsonSchema } from './tool-parameters.js';

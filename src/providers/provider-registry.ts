import type { ProviderRegistration } from './provider-registration.js';
import { sandboxProvider } from './sandbox/sandbox.registration.js';
import { twilioProvider } from './twilio/twilio.registration.js';

/**
 * Every provider the service ships. Without SMS_PROVIDER the first configured one that sends
 * for real is chosen, else the development-only one (the sandbox).
 */
export const PROVIDERS: readonly ProviderRegistration[] = [twilioProvider, sandboxProvider];

/** The registrations of this build plus a deployment's (or a test's) own. */
export function providerRegistry(
  extra: readonly ProviderRegistration[] = [],
): readonly ProviderRegistration[] {
  const all = [...PROVIDERS, ...extra];
  const names = all.map((r) => r.name);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice) throw new Error(`Two SMS providers are registered as "${twice}"`);
  return all;
}

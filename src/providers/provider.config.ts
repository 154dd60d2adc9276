import { getConfigToken, registerAs } from '@nestjs/config';
import { ConfigError, isProduction, readString } from '../config/env.js';
import type { ChosenProvider, ProviderRegistration } from './provider-registration.js';

/** Injects the ChosenProvider: the provider this instance sends through, its settings bound. */
export const CHOSEN_PROVIDER = getConfigToken('provider');

/** SMS_PROVIDER when set, else what is configured; production never runs a development-only one. */
export function chooseProvider(
  registrations: readonly ProviderRegistration[],
  env: NodeJS.ProcessEnv,
): ChosenProvider {
  const loaded = registrations.map((registration) => ({ registration, ...registration.load() }));
  const named = readString(env, 'SMS_PROVIDER')?.toLowerCase();
  if (named) {
    const found = loaded.find((l) => l.registration.name === named);
    if (!found) {
      throw new ConfigError(
        'SMS_PROVIDER',
        `must be one of ${registrations.map((r) => r.name).join(', ')}, got "${named}"`,
      );
    }
    if (!found.configured) {
      throw new ConfigError(
        'SMS_PROVIDER',
        `names ${named}, which needs ${found.registration.credentials.join(' and ')}`,
      );
    }
    if (found.chosen.developmentOnly && isProduction(env)) {
      throw new ConfigError(
        'SMS_PROVIDER',
        `names ${named}, which is for development only; production (NODE_ENV=production) needs a provider that sends`,
      );
    }
    return found.chosen;
  }
  const real = loaded.find((l) => !l.registration.developmentOnly && l.configured);
  if (real) return real.chosen;
  const fallback = loaded.find((l) => l.registration.developmentOnly);
  const needed = loaded
    .filter((l) => !l.registration.developmentOnly)
    .map((l) => l.registration.credentials.join(' and '))
    .join(', or ');
  if (!fallback) throw new ConfigError(needed || 'SMS_PROVIDER', 'must be set: no provider is');
  if (isProduction(env)) {
    throw new ConfigError(
      needed,
      `are required in production (NODE_ENV=production); the ${fallback.registration.name} is for development only`,
    );
  }
  return fallback.chosen;
}

/** The `provider` namespace: the choice, made and checked at boot with the other settings. */
export function chosenProviderConfig(registrations: readonly ProviderRegistration[]) {
  return registerAs('provider', () => chooseProvider(registrations, process.env));
}

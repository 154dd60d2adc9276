import { appConfig } from './app.config.js';
import { auditConfig } from './audit.config.js';
import { auditChainConfig } from './audit-chain.config.js';
import { authConfig } from './auth.config.js';
import { consentConfig } from './consent.config.js';
import { databaseConfig } from './database.config.js';
import { loggingConfig } from './logging.config.js';
import { policyConfig } from './policy.config.js';
import { pricingConfig } from './pricing.config.js';
import { redisConfig } from './redis.config.js';
import { schedulingConfig } from './scheduling.config.js';
import { sendingConfig } from './sending.config.js';
import { templatesConfig } from './templates.config.js';
import { throttleConfig } from './throttle.config.js';
import { lineTypeConfig } from './line-type.config.js';
import { dispatchConfig } from './dispatch.config.js';
import { retentionConfig } from './retention.config.js';
import { eventsConfig } from './events.config.js';
import { repliesConfig } from './replies.config.js';
import { chosenProviderConfig } from '../providers/provider.config.js';
import type { ProviderRegistration } from '../providers/provider-registration.js';
import { providerRegistry } from '../providers/provider-registry.js';

const OWN_CONFIGS = [
  appConfig,
  loggingConfig,
  authConfig,
  policyConfig,
  sendingConfig,
  schedulingConfig,
  throttleConfig,
  redisConfig,
  databaseConfig,
  auditConfig,
  auditChainConfig,
  consentConfig,
  templatesConfig,
  pricingConfig,
  lineTypeConfig,
  dispatchConfig,
  retentionConfig,
  eventsConfig,
  repliesConfig,
];

/**
 * Every namespace the service validates at boot, each provider's settings included, then the
 * choice of provider; the doctor reads the same ones.
 */
export function serviceConfigs(
  registrations: readonly ProviderRegistration[] = providerRegistry(),
) {
  return [
    ...OWN_CONFIGS,
    ...registrations.map((r) => r.config),
    chosenProviderConfig(registrations),
  ];
}

export const SERVICE_CONFIGS = serviceConfigs();

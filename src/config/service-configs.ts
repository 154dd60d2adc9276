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
import { twilioConfig } from './twilio.config.js';
import { lineTypeConfig } from './line-type.config.js';
import { dispatchConfig } from './dispatch.config.js';
import { retentionConfig } from './retention.config.js';
import { eventsConfig } from './events.config.js';

/** Every namespace the service validates at boot; the doctor reads the same ones. */
export const SERVICE_CONFIGS = [
  appConfig,
  loggingConfig,
  authConfig,
  policyConfig,
  sendingConfig,
  schedulingConfig,
  throttleConfig,
  redisConfig,
  twilioConfig,
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
];

import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import { AppModule, type AppModuleOptions } from '../../src/app.module.js';
import { configureApp, createHttpAdapter } from '../../src/app.setup.js';
import type { ProviderRegistration } from '../../src/providers/provider-registration.js';
import { providerRegistry } from '../../src/providers/provider-registry.js';

/**
 * Every variable these config factories read, found by running each against an environment
 * that records what is asked of it: a provider's settings are reset without being listed here.
 */
function variablesReadBy(factories: readonly (() => unknown)[]): string[] {
  const read = new Set<string>();
  const real = process.env;
  process.env = new Proxy(real, {
    get(target, key, receiver) {
      if (typeof key === 'string') read.add(key);
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  try {
    for (const factory of factories) {
      try {
        factory();
      } catch {
        // A setting the developer's shell got wrong still shows which variables were read.
      }
    }
  } finally {
    process.env = real;
  }
  return [...read].sort();
}

/** Unset: the SMS provider's choice and every registered provider's settings. */
function providerVariables(
  registrations: readonly ProviderRegistration[],
): Record<string, undefined> {
  const names = ['SMS_PROVIDER', ...variablesReadBy(registrations.map((r) => r.config))];
  return Object.fromEntries(names.map((name) => [name, undefined]));
}

export const TEST_API_KEY = 'test-agent-key-0123456789abcdef';
export const TEST_ADMIN_KEY = 'test-admin-key-0123456789abcdef';

/** The environment every e2e app starts from: in-memory SQLite, the sandbox, known keys. */
export const BASE_TEST_ENV: Record<string, string | undefined> = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  SQLITE_PATH: ':memory:',
  DATABASE_URL: undefined,
  REDIS_URL: undefined,
  // The sandbox, whatever the shell that runs the suites has set (Twilio's settings, say).
  ...providerVariables(providerRegistry()),
  PUBLIC_BASE_URL: undefined,
  // Functional suites send many texts to one number; the throttling suite sets its own limits.
  RATE_LIMIT_PER_KEY: '100000',
  RATE_LIMIT_PER_RECIPIENT_10MIN: '100000',
  RATE_LIMIT_PER_RECIPIENT_DAY: '100000',
  RATE_LIMIT_PER_CONVERSATION: '100000',
  RATE_LIMIT_CONVERSATION_RECIPIENTS: '100000',
  RATE_LIMIT_AUTH_FAILURES_PER_IP: '100000',
  DAILY_SEND_CAP: '100000',
  // Suites run at any hour; the quiet-hours suite sets its own window and clock.
  QUIET_HOURS: 'off',
  // Suites count the requests at the Twilio stand-in; the line type suite turns lookups on.
  LINE_TYPE_CHECK: 'off',
  // Suites drive the dispatcher through dispatchDue(), never a timer.
  DISPATCH_INTERVAL_MS: '0',
  // Suites purge through RetentionService or the worker's tick(), never a timer.
  RETENTION_INTERVAL_MINUTES: '0',
  // Suites drive the audit chain monitor through tick(); checkpoints only where a suite asks.
  AUDIT_VERIFY_INTERVAL_MS: '0',
  AUDIT_CHECKPOINT_DIR: undefined,
  AUDIT_CHAIN_KEY: undefined,
  AUDIT_CHAIN_KEYS_PREVIOUS: undefined,
  AUDIT_BROKEN_CHAIN: undefined,
  // No events out unless a suite sets an endpoint; suites drive the worker through deliverDue().
  EVENTS_WEBHOOK_URL: undefined,
  EVENTS_WEBHOOK_SECRET: undefined,
  EVENTS_DELIVERY_INTERVAL_MS: '0',
  // The ops key reads every key's messages, as an operator's would (sms.read_all).
  API_KEYS: `agent:${TEST_API_KEY}:sms.send+sms.read,ops:${TEST_ADMIN_KEY}:sms.send+sms.read+sms.read_all+audit.read+admin`,
};

export interface TestAppOptions extends AppModuleOptions {
  /** Variables to set (a value) or unset (undefined) on top of BASE_TEST_ENV. */
  env?: Record<string, string | undefined>;
  /** Provider overrides, e.g. a counting transport. */
  override?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
}

function applyEnv(env: Record<string, string | undefined>): () => void {
  const previous = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  const set = (vars: Record<string, string | undefined>) => {
    for (const [key, value] of Object.entries(vars)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  set(env);
  return () => set(previous);
}

/**
 * The whole app as main.ts builds it (same module, same express set-up), configured through
 * the environment like production. The environment is restored once the app is built.
 */
export async function createTestApp(options: TestAppOptions = {}): Promise<INestApplication> {
  const restore = applyEnv({
    ...BASE_TEST_ENV,
    ...providerVariables(options.providers ?? []),
    ...options.env,
  });
  try {
    let builder = Test.createTestingModule({
      imports: [AppModule.forRoot({ tools: options.tools, providers: options.providers })],
    });
    if (options.override) builder = options.override(builder);
    const moduleRef = await builder.compile();
    const app = moduleRef.createNestApplication<NestExpressApplication>(createHttpAdapter(), {
      bodyParser: false,
      logger: process.env.TEST_LOGS ? undefined : false,
    });
    configureApp(app);
    await app.init();
    return app;
  } finally {
    restore();
  }
}

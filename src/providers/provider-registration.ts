import type { ModuleMetadata } from '@nestjs/common';
import type { ConfigFactory, ConfigFactoryKeyHost, ConfigObject } from '@nestjs/config';
import type { CheckResult } from '../doctor/check.js';
import type { SmsProvider } from './sms-provider.js';

/** What the doctor asks a provider: its own lines of the checklist, and its use of PUBLIC_BASE_URL. */
export interface ProviderDoctor<C> {
  /** Reads only: nothing sent, nothing changed at the provider. */
  checks(config: C, context: { publicBaseUrl: string | undefined }): Promise<CheckResult[]>;
  /**
   * Whether the provider calls this service back (then an unset PUBLIC_BASE_URL is a warning),
   * and the checklist's words when it is unset.
   */
  publicUrl: { needed: boolean; unsetDetail: string };
}

/** What one provider folder declares, once; the registry derives everything else from it. */
export interface ProviderSpec<C extends ConfigObject> {
  /** What SMS_PROVIDER names, and the messages' `transport` column. */
  readonly name: string;
  /** Its settings, validated at boot like every other namespace. */
  readonly config: (() => C) & ConfigFactoryKeyHost<C>;
  /** Variables whose presence configures it: the production refusal names them. */
  readonly credentials: readonly string[];
  /** Sends nothing real: chosen when nothing else is configured, and refused in production. */
  readonly developmentOnly?: boolean;
  isConfigured(config: C): boolean;
  create(config: C): SmsProvider;
  /** Modules, controllers and services it adds to the app (webhooks, a local outbox). */
  readonly mounts?: Pick<ModuleMetadata, 'imports' | 'controllers' | 'providers'>;
  /** Time one more attempt of a send may take (its own timeout); 0 when it answers at once. */
  attemptBudgetMs(config: C): number;
  /** The boot banner's Provider line: no secret, no full number. */
  describe(config: C): string;
  readonly doctor: ProviderDoctor<C>;
}

/** The chosen provider with its settings bound: what the rest of the service asks. */
export interface ChosenProvider {
  readonly name: string;
  readonly developmentOnly: boolean;
  readonly attemptBudgetMs: number;
  readonly description: string;
  create(): SmsProvider;
  doctorChecks(context: { publicBaseUrl: string | undefined }): Promise<CheckResult[]>;
  readonly publicUrl: ProviderDoctor<unknown>['publicUrl'];
}

/** One provider as the registry holds it, its settings' type erased. */
export interface ProviderRegistration {
  readonly name: string;
  readonly config: ConfigFactory<ConfigObject> & Pick<ConfigFactoryKeyHost, 'KEY'>;
  readonly credentials: readonly string[];
  readonly developmentOnly: boolean;
  readonly mounts: Pick<ModuleMetadata, 'imports' | 'controllers' | 'providers'>;
  /** Reads and validates its settings from the environment. */
  load(): { configured: boolean; chosen: ChosenProvider };
}

/** How a provider folder exports its one registration. */
export function defineProvider<C extends ConfigObject>(
  spec: ProviderSpec<C>,
): ProviderRegistration {
  return {
    name: spec.name,
    config: spec.config,
    credentials: spec.credentials,
    developmentOnly: spec.developmentOnly ?? false,
    mounts: spec.mounts ?? {},
    load() {
      const config = spec.config();
      return {
        configured: spec.isConfigured(config),
        chosen: {
          name: spec.name,
          developmentOnly: spec.developmentOnly ?? false,
          attemptBudgetMs: spec.attemptBudgetMs(config),
          description: spec.describe(config),
          create: () => spec.create(config),
          doctorChecks: (context) => spec.doctor.checks(config, context),
          publicUrl: spec.doctor.publicUrl,
        },
      };
    },
  };
}

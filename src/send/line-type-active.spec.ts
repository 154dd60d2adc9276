import type { LineTypeConfig } from '../config/line-type.config.js';
import { LineTypeStage } from './line-type.stage.js';

/** Whether the stage looks line types up: the setting, or else what the provider is. */
function stage(enabled: boolean | undefined, capabilities: object): LineTypeStage {
  return new LineTypeStage(
    { enabled, lookupPrice: 0.008 } as LineTypeConfig,
    { capabilities } as never,
    {} as never,
    {} as never,
    {} as never,
    {} as never,
  );
}

describe('LineTypeStage.isActive', () => {
  const real = { lineTypeLookup: true, simulated: false };
  const sandbox = { lineTypeLookup: true, simulated: true };
  const cannot = { lineTypeLookup: false, simulated: false };

  it.each([
    ['unset, a real provider that looks up', undefined, real, true],
    ['unset, the sandbox', undefined, sandbox, false],
    ['on, the sandbox (simulated lookups)', true, sandbox, true],
    ['off, a real provider', false, real, false],
    ['on, a provider that cannot look up', true, cannot, false],
  ])('%s: %s', (_case, enabled, capabilities, active) => {
    expect(stage(enabled, capabilities).isActive).toBe(active);
    expect(stage(enabled, capabilities).lookupPrice).toBe(active ? 0.008 : undefined);
  });
});

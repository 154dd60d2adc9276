import { DomainError, type DomainErrorOptions } from '../common/errors/domain-error.js';

/**
 * A send that did not complete. `outcome` tells whether the provider certainly did not
 * take it ('failed') or may have ('unknown'); the latter must never be resent blindly.
 */
export class ProviderError extends DomainError {
  constructor(
    code: string,
    message: string,
    readonly outcome: 'failed' | 'unknown',
    options: DomainErrorOptions & { providerCode?: number },
  ) {
    super(code, message, options);
    this.providerCode = options.providerCode;
  }

  readonly providerCode?: number;
}

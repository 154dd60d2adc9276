import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { DomainError } from '../../common/errors/domain-error.js';
import { ErrorCode } from '../../common/errors/error-codes.js';
import { policyConfig } from '../../config/policy.config.js';
import { findLinks } from './link-finder.js';

/** Every link in a text must be https and on LINK_ALLOWED_HOSTS: an agent can be talked into anything else. */
@Injectable()
export class LinkPolicy {
  private readonly allowedHosts: ReadonlySet<string>;

  constructor(@Inject(policyConfig.KEY) config: ConfigType<typeof policyConfig>) {
    // Compare in the form URL gives hosts (lower case, punycode), so lookalikes never match.
    this.allowedHosts = new Set(
      config.linkAllowedHosts.map((h) => new URL(`https://${h}`).hostname),
    );
  }

  check(text: string): void {
    for (const link of findLinks(text)) this.checkUrl(link.url, 'The text contains a link');
  }

  /** One URL given on its own, such as an MMS media_url. */
  checkMediaUrl(raw: string): void {
    let url: URL | null;
    try {
      url = new URL(raw);
    } catch {
      url = null;
    }
    this.checkUrl(url, 'media_url is a link');
  }

  private checkUrl(url: URL | null, what: string): void {
    const problem = this.problemWith(url);
    if (!problem) return;
    throw new DomainError(ErrorCode.LINK_NOT_ALLOWED, `${what} that ${problem}.`, {
      status: HttpStatus.UNPROCESSABLE_ENTITY,
      agentMessage: "I can only send links to our approved websites, so I didn't send that text.",
      details: { host: url?.hostname ?? null },
    });
  }

  private problemWith(url: URL | null): string | undefined {
    if (!url) return 'cannot be read as a web address';
    if (url.protocol !== 'https:') return 'does not start with https://';
    if (url.username || url.password) return 'hides its destination behind a user name';
    if (url.port) return 'names a port';
    if (!this.allowedHosts.has(url.hostname))
      return `points to ${url.hostname}, which is not on LINK_ALLOWED_HOSTS`;
    return undefined;
  }
}

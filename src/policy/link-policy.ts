import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { DomainError } from '../common/errors/domain-error.js';
import { ErrorCode } from '../common/errors/error-codes.js';
import { policyConfig } from '../config/policy.config.js';
import { findLinks } from './link-finder.js';

// What the WHATWG parser drops or rewrites silently (backslashes as "/", tabs and line breaks
// removed, invisible characters) and another fetcher may read otherwise: "\@evil.com" is a
// path here and a user name there.
const AMBIGUOUS_IN_URL = /[\\\s\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}]/u;

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

  /** E-mail addresses pass: a phone opens them as a new e-mail, not a web page. */
  check(text: string): void {
    for (const link of findLinks(text)) {
      if (link.kind === 'web') this.checkUrl(link.url, 'The text contains a link');
    }
  }

  /**
   * One URL given on its own, such as an MMS media_url. Returns the address as checked (the
   * parser's href), which is what the provider must be given, never the string as written.
   */
  checkMediaUrl(raw: string): string {
    const url = AMBIGUOUS_IN_URL.test(raw) ? null : parse(raw);
    this.checkUrl(url, 'media_url is a link');
    return (url as URL).href;
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
    if (!url) return 'cannot be read as a web address, or could be read as more than one';
    if (url.protocol !== 'https:') return 'does not start with https://';
    if (url.username || url.password) return 'hides its destination behind a user name';
    if (url.port) return 'names a port';
    if (!this.allowedHosts.has(url.hostname))
      return `points to ${url.hostname}, which is not on LINK_ALLOWED_HOSTS`;
    return undefined;
  }
}

function parse(candidate: string): URL | null {
  try {
    return new URL(candidate);
  } catch {
    return null;
  }
}

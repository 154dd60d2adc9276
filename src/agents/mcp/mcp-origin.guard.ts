import {
  HttpStatus,
  Inject,
  Injectable,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Request } from 'express';
import { DomainError } from '../../common/errors/domain-error.js';
import { ErrorCode } from '../../common/errors/error-codes.js';
import { mcpConfig, originOf } from './mcp.config.js';

/**
 * The MCP transport spec's Origin rule (DNS rebinding, and a page driving the server with a key
 * it stole): a request with an Origin must come from MCP_ALLOWED_ORIGINS, else 403. Requests
 * without one (MCP hosts calling server to server) pass. The SDK's own check is not used: with
 * an empty list it lets every origin through, and it answers outside the error contract.
 */
@Injectable()
export class McpOriginGuard implements CanActivate {
  private readonly allowed: ReadonlySet<string>;

  constructor(@Inject(mcpConfig.KEY) config: ConfigType<typeof mcpConfig>) {
    this.allowed = new Set(config.allowedOrigins);
  }

  canActivate(context: ExecutionContext): boolean {
    const origin = context.switchToHttp().getRequest<Request>().header('origin');
    if (origin === undefined) return true;
    const normalized = originOf(origin);
    if (normalized !== undefined && this.allowed.has(normalized)) return true;
    throw new DomainError(
      ErrorCode.FORBIDDEN,
      'This Origin may not use the MCP server (MCP_ALLOWED_ORIGINS).',
      { status: HttpStatus.FORBIDDEN, agentMessage: "I'm not allowed to do that." },
    );
  }
}

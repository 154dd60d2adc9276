import { Controller, Delete, Get, HttpStatus, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequireScope, WayIn } from '../../auth/auth.decorators.js';
import type { AuthenticatedRequest } from '../../auth/auth.guard.js';
import { McpOriginGuard } from './mcp-origin.guard.js';
import { McpServerService } from './mcp-server.service.js';

/**
 * POST /mcp: MCP over Streamable HTTP, stateless. JSON-RPC is the SDK's to answer, so the
 * route stays out of the OpenAPI document (docs/PLATFORMS.md describes it).
 */
@ApiExcludeController()
@RequireScope('sms.send')
@WayIn('mcp')
@UseGuards(McpOriginGuard)
@Controller('mcp')
export class McpController {
  constructor(private readonly mcp: McpServerService) {}

  @Post()
  handle(@Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    return this.mcp.handle(req, res);
  }

  /** Without sessions there is no stream to open or session to end (the spec's 405). */
  @Get()
  openStream(@Res() res: Response): void {
    methodNotAllowed(res);
  }

  @Delete()
  endSession(@Res() res: Response): void {
    methodNotAllowed(res);
  }
}

function methodNotAllowed(res: Response): void {
  res
    .status(HttpStatus.METHOD_NOT_ALLOWED)
    .setHeader('Allow', 'POST')
    .json({
      jsonrpc: '2.0',
      error: { code: -32000, message: 'Method not allowed: this MCP server is stateless.' },
      id: null,
    });
}

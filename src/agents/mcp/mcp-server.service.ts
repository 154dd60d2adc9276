import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Response } from 'express';
import { onFirstUse } from '../../common/on-first-use.js';
import type { AuthenticatedRequest } from '../../auth/auth.guard.js';
import { toolCallerOf } from '../../auth/requester.js';
import { RefusalAuditor } from '../../audit/refusal-auditor.js';
import { isAudited } from '../../common/errors/audited.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { ErrorCode } from '../../common/errors/error-codes.js';
import { requestIdOf } from '../../common/http/request-id.js';
import { policyConfig } from '../../config/policy.config.js';
import { OpenApiDocumentSource } from '../elevenlabs/openapi-document.source.js';
import { SendPipeline } from '../../send/send-pipeline.js';
import type { ToolCall } from '../../send/tool-call.js';
import { ToolRegistry } from '../../tools/tool-registry.js';
import { bindCallContext, type CallContext, platformIdempotencyKey } from '../shared/index.js';
import { refusalResult, toolResult } from './mcp-answers.js';
import {
  MCP_CONTEXT_HEADERS,
  MCP_IDEMPOTENCY_META_KEY,
  mcpToolList,
  type McpToolListing,
} from './mcp-tools.js';

export const MCP_SERVER_INFO = { name: 'agent-sms-gateway', version: '0.1.0' };

const INSTRUCTIONS =
  'Each tool texts a patient and answers with one sentence the agent can say. Say it as it is; when a result is an error, the sentence explains the refusal to the patient.';

interface McpSdk {
  Server: typeof import('@modelcontextprotocol/sdk/server/index.js').Server;
  StreamableHTTPServerTransport: typeof import('@modelcontextprotocol/sdk/server/streamableHttp.js').StreamableHTTPServerTransport;
  types: typeof import('@modelcontextprotocol/sdk/types.js');
}

/**
 * The SDK (with zod and ajv under it) loads on the first MCP request, not at boot: loading it is
 * a sizeable share of boot time and memory, and no other way in needs it.
 */
const loadSdk = onFirstUse(async (): Promise<McpSdk> => {
  const [server, http, types] = await Promise.all([
    import('@modelcontextprotocol/sdk/server/index.js'),
    import('@modelcontextprotocol/sdk/server/streamableHttp.js'),
    import('@modelcontextprotocol/sdk/types.js'),
  ]);
  return {
    Server: server.Server,
    StreamableHTTPServerTransport: http.StreamableHTTPServerTransport,
    types,
  };
});

/** Room for the platform prefix in the 255 characters the message row keeps. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,251}$/;

/**
 * The MCP way in: a stateless Streamable HTTP server, built per request (the SDK's stateless
 * pattern), listing the registry's tools and running each call through the send pipeline.
 */
@Injectable()
export class McpServerService {
  private listing?: McpToolListing[];

  constructor(
    private readonly registry: ToolRegistry,
    private readonly pipeline: SendPipeline,
    private readonly documents: OpenApiDocumentSource,
    private readonly refusals: RefusalAuditor,
    @Inject(policyConfig.KEY) private readonly policy: ConfigType<typeof policyConfig>,
  ) {}

  async handle(req: AuthenticatedRequest, res: Response): Promise<void> {
    // The SDK runs every message of a batch: one POST (one request against the per-key limit)
    // would send as many texts as it holds. Batching left the protocol in 2025-06-18.
    if (Array.isArray(req.body)) {
      throw new DomainError(
        ErrorCode.VALIDATION_FAILED,
        'JSON-RPC batches are not accepted: send one message per POST.',
        { agentMessage: "The request wasn't formed correctly, so I didn't send anything." },
      );
    }
    const mcp = await loadSdk();
    const server = this.serverFor(mcp, req);
    const transport = new mcp.StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      // One JSON answer per POST: nothing here streams progress.
      enableJsonResponse: true,
    });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  }

  /** Routes do not change after boot, so the list is built once. */
  tools(): McpToolListing[] {
    this.listing ??= mcpToolList(
      this.documents.get(),
      this.registry.all(),
      this.policy.recipientPolicy,
    );
    return this.listing;
  }

  private serverFor(mcp: McpSdk, req: AuthenticatedRequest): Server {
    const {
      CallToolRequestSchema,
      ErrorCode: JsonRpcErrorCode,
      ListToolsRequestSchema,
      McpError,
    } = mcp.types;
    const server = new mcp.Server(MCP_SERVER_INFO, {
      capabilities: { tools: {} },
      instructions: INSTRUCTIONS,
    });
    server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: this.tools() }));
    server.setRequestHandler(CallToolRequestSchema, async ({ params }) => {
      if (!this.registry.get(params.name)) {
        throw new McpError(JsonRpcErrorCode.InvalidParams, `Unknown tool: ${params.name}`);
      }
      const call: ToolCall = {
        tool: params.name,
        input: bindCallContext(params.arguments ?? {}, contextOf(req), {
          callerOnly: this.policy.recipientPolicy === 'caller_only',
        }),
        caller: toolCallerOf(req, 'mcp'),
        requestId: requestIdOf(req),
      };
      try {
        const idempotencyKey = idempotencyKeyOf(params._meta, req);
        return toolResult(await this.pipeline.run({ ...call, idempotencyKey }));
      } catch (error) {
        // The pipeline audits its own refusals; a bad key never reached it.
        if (error instanceof DomainError && error.status < 500 && !isAudited(error)) {
          await this.refusals.recordToolRefusal(call, null, error);
        }
        return refusalResult(error, call.requestId);
      }
    });
    return server;
  }
}

/** The call context the agent host set on the request: never the LLM's arguments. */
function contextOf(req: AuthenticatedRequest): CallContext {
  const header = (name: string) => req.header(name)?.trim() || undefined;
  return {
    conversationId: header(MCP_CONTEXT_HEADERS.conversationId),
    callerNumber: header(MCP_CONTEXT_HEADERS.callerNumber),
    agentId: header(MCP_CONTEXT_HEADERS.agentId),
  };
}

/**
 * One key per tool call, kept across the client's retries: the tools/call `_meta` entry, else
 * the Idempotency-Key header. Prefixed with the platform, so it never meets a REST key.
 */
function idempotencyKeyOf(
  meta: Record<string, unknown> | undefined,
  req: AuthenticatedRequest,
): string | undefined {
  const key = meta?.[MCP_IDEMPOTENCY_META_KEY] ?? req.header('idempotency-key');
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key)) {
    throw new DomainError(
      ErrorCode.VALIDATION_FAILED,
      'The idempotency key must be 1 to 251 visible ASCII characters.',
      {
        status: HttpStatus.BAD_REQUEST,
        agentMessage: "The request wasn't formed correctly, so I didn't send anything.",
      },
    );
  }
  return platformIdempotencyKey('mcp', key);
}

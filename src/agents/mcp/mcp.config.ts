import { registerAs } from '@nestjs/config';
import { ConfigError, readList } from '../../config/env.js';

/**
 * An http(s) origin (scheme, host, port) normalised as browsers send it, or undefined for
 * anything else: "null" (a sandboxed frame, a file), another scheme, a path or a user name.
 */
export function originOf(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  const bare = url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
  return bare && (url.protocol === 'https:' || url.protocol === 'http:') ? url.origin : undefined;
}

/**
 * Browser origins allowed to drive POST /mcp (MCP_ALLOWED_ORIGINS). Empty by default: MCP hosts
 * call server to server and send no Origin, and a page elsewhere must not use a key it stole.
 */
export const mcpConfig = registerAs('mcp', () => {
  const allowedOrigins = readList(process.env, 'MCP_ALLOWED_ORIGINS', []).map((entry) => {
    const origin = originOf(entry);
    if (origin === undefined) {
      throw new ConfigError(
        'MCP_ALLOWED_ORIGINS',
        `"${entry}" is not an origin such as https://console.example.org (scheme and host, no path)`,
      );
    }
    return origin;
  });
  return { allowedOrigins };
});

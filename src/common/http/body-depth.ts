import type { NextFunction, Request, Response } from 'express';
import { DomainError } from '../errors/domain-error.js';
import { ErrorCode } from '../errors/error-codes.js';

/** Far deeper than any request this service takes, far shallower than what overflows the stack. */
export const MAX_BODY_DEPTH = 32;

/** How deep arrays and objects nest in a parsed body, counted without recursion; stops past `limit`. */
export function nestingDepth(value: unknown, limit = MAX_BODY_DEPTH): number {
  let deepest = 0;
  const pending: Array<[unknown, number]> = [[value, 1]];
  while (pending.length > 0) {
    const [node, depth] = pending.pop() as [unknown, number];
    if (node === null || typeof node !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * Refuses a body nested deeper than MAX_BODY_DEPTH before validation reads it: class-transformer
 * recurses per level, and a few kilobytes of brackets would overflow the stack (a 500).
 */
export function refuseDeepBodies(req: Request, _res: Response, next: NextFunction): void {
  if (nestingDepth(req.body) > MAX_BODY_DEPTH) {
    next(
      new DomainError(
        ErrorCode.VALIDATION_FAILED,
        `The request body nests arrays or objects deeper than ${MAX_BODY_DEPTH} levels.`,
        {
          details: { max_depth: MAX_BODY_DEPTH },
          agentMessage: "The request wasn't formed correctly, so I didn't send anything.",
        },
      ),
    );
    return;
  }
  next();
}

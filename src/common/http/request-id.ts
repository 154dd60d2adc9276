import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

const ACCEPTED_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export interface RequestWithId extends Request {
  id: string;
}

/** Reuses a caller's X-Request-Id when it is well-formed, so logs join across services. */
export function requestIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  const offered = req.header('x-request-id');
  const id = offered && ACCEPTED_ID.test(offered) ? offered : randomUUID();
  (req as RequestWithId).id = id;
  res.setHeader('X-Request-Id', id);
  next();
}

export function requestIdOf(req: Request): string {
  return (req as Partial<RequestWithId>).id ?? 'unknown';
}

